package io.peapod.runtime.attach;

import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/// One client on a container's attach socket. conmon sends each chunk of output as one packet whose
/// first byte names the stream (2 stdout, 3 stderr; a terminal's output is stdout) and takes packets
/// it receives, unframed, as the container's input. Reading [#stdout] drives the socket: stderr
/// packets are handed to [#stderr] through a queue. Shutting the writing side is how a client says its
/// input ended (conmon then closes the container's stdin when it is `stdinOnce`).
final class AttachedContainer implements ExecProcess {
  private static final int STDOUT = 2;
  private static final int STDERR = 3;
  /// conmon reads at most this much input per packet, whatever its version.
  private static final int INPUT_CHUNK = 4096;
  private static final byte[] END = new byte[0];
  private final int fd;
  private final Syscalls sys;
  private final boolean stdin;
  private final boolean tty;
  private final Consumer<TerminalSize> resizer;
  private final Supplier<OptionalInt> exitCode;
  private final LinkedBlockingQueue<byte[]> errors = new LinkedBlockingQueue<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  /// Held while the descriptor is written or closed, so a write never reaches a number reused after close.
  private final ReentrantLock fdLock = new ReentrantLock();
  private volatile boolean detached;
  private boolean closed;

  AttachedContainer(int fd, Syscalls sys, boolean stdin, boolean tty, Consumer<TerminalSize> resizer,
      Supplier<OptionalInt> exitCode) {
    this.fd = fd;
    this.sys = sys;
    this.stdin = stdin;
    this.tty = tty;
    this.resizer = resizer;
    this.exitCode = exitCode;
  }

  @Override
  public InputStream stdout() {
    return new InputStream() {
      private byte[] pending = END;
      private int at;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        while (at >= pending.length) {
          Optional<byte[]> next = nextStdout();
          if (next.isEmpty()) {
            return -1;
          }
          pending = next.get();
          at = 0;
        }
        int n = Math.min(len, pending.length - at);
        System.arraycopy(pending, at, b, off, n);
        at += n;
        return n;
      }
    };
  }

  /// The next stdout packet's data, queueing stderr ones on the way; empty at the end of the session.
  private Optional<byte[]> nextStdout() {
    byte[] buf = new byte[32 * 1024 + 1];
    while (true) {
      int n = closedOrRead(buf);
      if (n <= 0) {
        errors.add(END);
        ended.countDown();
        return Optional.empty();
      }
      byte[] data = Arrays.copyOfRange(buf, 1, n);
      if (buf[0] == STDERR && !tty) {
        errors.add(data);
      } else if (buf[0] == STDOUT || buf[0] == STDERR) {
        return Optional.of(data);
      }
    }
  }

  private int closedOrRead(byte[] buf) {
    fdLock.lock();
    boolean open = !closed;
    fdLock.unlock();
    if (!open) {
      return 0;
    }
    try {
      // Not under the lock: it blocks, and shutdown (not close) is what wakes it.
      return sys.read(fd, buf);
    } catch (RuntimeException e) {
      // A reset connection (conmon killed) ends the session like a clean end.
      return 0;
    }
  }

  @Override
  public Optional<InputStream> stderr() {
    if (tty) {
      return Optional.empty();
    }
    return Optional.of(new InputStream() {
      private byte[] pending = END;
      private int at;
      private boolean done;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (!done && at >= pending.length) {
          try {
            pending = errors.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading stderr", e);
          }
          at = 0;
          done = pending == END;
        }
        if (done) {
          return -1;
        }
        int n = Math.min(len, pending.length - at);
        System.arraycopy(pending, at, b, off, n);
        at += n;
        return n;
      }
    });
  }

  /// Input goes to the container only when the client asked to attach it; otherwise writes are dropped
  /// and closing changes nothing, so an output-only client never ends the container's input.
  @Override
  public OutputStream stdin() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (!stdin) {
          return;
        }
        for (int done = 0; done < len; done += INPUT_CHUNK) {
          int n = Math.min(INPUT_CHUNK, len - done);
          send(Arrays.copyOfRange(b, off + done, off + done + n));
        }
      }

      @Override
      public void close() {
        if (stdin) {
          shutdown(false, true);
        }
      }
    };
  }

  private void send(byte[] packet) throws IOException {
    fdLock.lock();
    try {
      if (closed || detached) {
        throw new IOException("attach session ended");
      }
      sys.write(fd, packet, packet.length);
    } catch (RuntimeException e) {
      throw new IOException("write to the container's input: " + e.getMessage(), e);
    } finally {
      fdLock.unlock();
    }
  }

  /// Blocks until the session ends: the container's exit code when it ended, -1 when the client left first.
  @Override
  public int waitFor() throws InterruptedException {
    ended.await();
    return detached ? -1 : exitCode.get().orElse(-1);
  }

  /// Detaches: the container keeps running.
  @Override
  public void destroy() {
    detached = true;
    shutdown(true, true);
  }

  private void shutdown(boolean reading, boolean writing) {
    fdLock.lock();
    try {
      if (!closed) {
        sys.shutdown(fd, reading, writing);
      }
    } finally {
      fdLock.unlock();
    }
  }

  @Override
  public void resize(TerminalSize size) {
    if (tty && size.rows() > 0 && size.columns() > 0) {
      resizer.accept(size);
    }
  }

  @Override
  public void close() {
    fdLock.lock();
    try {
      if (!closed) {
        sys.shutdown(fd, true, true);
        closed = true;
        sys.close(fd);
      }
    } finally {
      fdLock.unlock();
      ended.countDown();
      errors.add(END);
    }
  }
}
