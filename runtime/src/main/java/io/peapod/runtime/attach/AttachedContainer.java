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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
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
  /// stderr packets waiting for their reader; beyond this the socket is not read until it catches up, so
  /// a client that stops reading cannot make the daemon hold a container's output.
  private static final int QUEUED_ERRORS = 64;
  private static final byte[] END = new byte[0];
  private final int fd;
  private final Syscalls sys;
  private final boolean stdin;
  private final boolean tty;
  private final Consumer<TerminalSize> resizer;
  private final Supplier<OptionalInt> exitCode;
  private final LinkedBlockingQueue<byte[]> errors = new LinkedBlockingQueue<>(QUEUED_ERRORS);
  private final CountDownLatch ended = new CountDownLatch(1);
  /// Shared while the descriptor is used (a write, a shutdown), exclusive to close it: a use never reaches
  /// a number reused after close. A blocked write holds it shared, and shutdown (also shared) wakes it.
  private final ReentrantReadWriteLock fdLock = new ReentrantReadWriteLock();
  private volatile boolean detached;
  private volatile boolean closed;

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
    return new Packets(() -> nextStdout().orElse(null));
  }

  /// An input stream over packets that `next` gives one at a time, null at the end.
  private static final class Packets extends InputStream {
    @FunctionalInterface
    interface Source {
      byte[] next() throws IOException;
    }

    private final Source source;
    private byte[] pending = END;
    private int at;
    private boolean done;

    Packets(Source source) {
      this.source = source;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      while (!done && at >= pending.length) {
        byte[] next = source.next();
        done = next == null;
        pending = done ? END : next;
        at = 0;
      }
      if (done) {
        return -1;
      }
      int n = Math.min(len, pending.length - at);
      System.arraycopy(pending, at, b, off, n);
      at += n;
      return n;
    }
  }

  /// The next stdout packet's data, queueing stderr ones on the way; empty at the end of the session.
  private Optional<byte[]> nextStdout() {
    byte[] buf = new byte[32 * 1024 + 1];
    while (true) {
      int n = read(buf);
      if (n <= 0) {
        queueError(END);
        ended.countDown();
        return Optional.empty();
      }
      byte[] data = Arrays.copyOfRange(buf, 1, n);
      if (buf[0] == STDERR && !tty) {
        queueError(data);
      } else if (buf[0] == STDOUT || buf[0] == STDERR) {
        return Optional.of(data);
      }
    }
  }

  /// Waits for room in the stderr queue; a session that ends meanwhile drops what its reader will not take.
  private void queueError(byte[] data) {
    try {
      while (!errors.offer(data, 100, TimeUnit.MILLISECONDS)) {
        if (closed || detached) {
          errors.clear();
          errors.offer(END);
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /// Reads one packet; the stdout pump is the only reader and closes the session after its last read.
  private int read(byte[] buf) {
    if (closed) {
      return 0;
    }
    try {
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
    return Optional.of(new Packets(this::nextError));
  }

  /// The next queued stderr packet, null at the end: the END mark, or a session closed before its reader
  /// reached it, which has nothing more to give.
  private byte[] nextError() throws IOException {
    while (true) {
      byte[] next;
      try {
        next = errors.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted reading stderr", e);
      }
      if (next == END || (next == null && closed && errors.isEmpty())) {
        return null;
      }
      if (next != null) {
        return next;
      }
    }
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
    fdLock.readLock().lock();
    try {
      if (closed || detached) {
        throw new IOException("attach session ended");
      }
      sys.write(fd, packet, packet.length);
    } catch (RuntimeException e) {
      throw new IOException("write to the container's input: " + e.getMessage(), e);
    } finally {
      fdLock.readLock().unlock();
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
    fdLock.readLock().lock();
    try {
      if (!closed) {
        sys.shutdown(fd, reading, writing);
      }
    } finally {
      fdLock.readLock().unlock();
    }
  }

  @Override
  public void resize(TerminalSize size) {
    if (tty && size.rows() > 0 && size.columns() > 0) {
      resizer.accept(size);
    }
  }

  /// Wakes whoever still waits on the socket (shutdown), then closes it once no one uses it.
  @Override
  public void close() {
    shutdown(true, true);
    fdLock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        sys.close(fd);
      }
    } finally {
      fdLock.writeLock().unlock();
      ended.countDown();
    }
  }
}
