package io.peapod.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/// A connection on a socket descriptor of [NativeSocket]'s. The descriptor is closed only once no
/// thread is inside a read or write on it, so a number the kernel hands out again is never read by
/// mistake; closing first shuts the socket down, which ends a read or write under way.
final class NativeConnection implements Connection {
  private final int fd;
  private final InputStream in = new In();
  private final OutputStream out = new Out();
  private int users;
  private boolean closed;

  private NativeConnection(int fd) {
    this.fd = fd;
  }

  static Connection open(Path socket) throws IOException {
    return new NativeConnection(NativeSocket.connect(socket.toString().getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public InputStream in() {
    return in;
  }

  @Override
  public OutputStream out() {
    return out;
  }

  @Override
  public void shutdownOutput() throws IOException {
    enter();
    try {
      NativeSocket.shutdown(fd, NativeSocket.SHUT_WR);
    } finally {
      leave();
    }
  }

  @Override
  public void close() throws IOException {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (users > 0) {
        NativeSocket.shutdown(fd, NativeSocket.SHUT_RDWR);
        return;
      }
    }
    NativeSocket.close(fd);
  }

  private synchronized void enter() throws IOException {
    if (closed) {
      throw new IOException("the connection to the daemon is closed");
    }
    users++;
  }

  private void leave() {
    boolean last;
    synchronized (this) {
      last = --users == 0 && closed;
    }
    if (last) {
      NativeSocket.close(fd);
    }
  }

  private final class In extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      enter();
      try {
        int n = NativeSocket.read(fd, b, off, len);
        return n == 0 ? -1 : n;
      } finally {
        leave();
      }
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      Objects.checkFromIndexSize(off, len, b.length);
      enter();
      try {
        while (len > 0) {
          int n = NativeSocket.write(fd, b, off, len);
          off += n;
          len -= n;
        }
      } finally {
        leave();
      }
    }
  }
}
