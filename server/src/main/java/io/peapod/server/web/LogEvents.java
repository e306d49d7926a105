package io.peapod.server.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/// A container's log as server-sent events: each line one `data:` event, sent as soon as it is whole.
/// A line is cut at 16 KiB, so a container that never writes a newline cannot grow the buffer.
final class LogEvents extends OutputStream {
  private static final int MAX_LINE = 16 * 1024;
  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  LogEvents(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    if (b == '\n') {
      send();
    } else if (b != '\r') {
      line.write(b);
      if (line.size() >= MAX_LINE) {
        send();
      }
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    for (int i = off; i < off + len; i++) {
      write(b[i]);
    }
  }

  private void send() throws IOException {
    out.write("data: ".getBytes(StandardCharsets.UTF_8));
    line.writeTo(out);
    out.write("\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    line.reset();
  }

  /// Sends what is left of a line without its newline.
  @Override
  public void close() throws IOException {
    if (line.size() > 0) {
      send();
    }
    out.write("event: end\ndata: \n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
