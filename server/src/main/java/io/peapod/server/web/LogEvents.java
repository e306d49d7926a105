package io.peapod.server.web;

import java.io.IOException;
import java.io.OutputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/// A container's log as server-sent events: each line one `data:` event, sent as soon as it is whole.
/// A line is cut at 16 KiB (at a character's start), so a container that never writes a newline cannot
/// grow the buffer. [#keepalive] comes from another thread, so writes are serialized.
final class LogEvents extends OutputStream {
  private static final int MAX_LINE = 16 * 1024;
  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  LogEvents(OutputStream out) {
    this.out = out;
  }

  @Override
  public synchronized void write(int b) throws IOException {
    if (b == '\n') {
      send();
    } else if (b != '\r') {
      // Cut before a character's first byte, never inside one (a UTF-8 character is at most 4 bytes, so
      // bytes that are no text are cut too).
      if (line.size() >= MAX_LINE && ((b & 0xC0) != 0x80 || line.size() >= MAX_LINE + 3)) {
        send();
      }
      line.write(b);
    }
  }

  /// A comment line: a page that went away is noticed even while the container is quiet.
  synchronized void keepalive() throws IOException {
    out.write(": keepalive\n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) throws IOException {
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
  public synchronized void close() throws IOException {
    if (line.size() > 0) {
      send();
    }
    out.write("event: end\ndata: \n\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
