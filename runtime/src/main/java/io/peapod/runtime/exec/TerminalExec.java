package io.peapod.runtime.exec;

import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.sys.SpawnedTerminal;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/// A command running in a container on a terminal: the OCI runtime's `exec --tty`, itself started on a
/// pseudo-terminal the daemon owns (runc copies between that and the container's own terminal). Reading
/// [#stdout] gives what the command prints; writing [#stdin] types into it. Closed by whoever reads
/// the output, once it ends; after that the streams refuse I/O, so the descriptor number is never
/// used again by mistake.
public final class TerminalExec implements ExecProcess {
  private final int pid;
  private final int master;
  private final Syscalls sys;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean reaped = new AtomicBoolean();
  private final java.nio.file.Path runtimeLog;

  public TerminalExec(SpawnedTerminal spawned, Syscalls sys, java.nio.file.Path runtimeLog) {
    this.pid = spawned.pid();
    this.master = spawned.master();
    this.sys = sys;
    this.runtimeLog = runtimeLog;
  }

  /// Blocks until the command exits and returns its exit code (a blocking native call: use a platform thread).
  @Override
  public int waitFor() {
    int status = sys.waitpid(pid);
    reaped.set(true);
    return ExecExitCodes.of(status, runtimeLog);
  }

  /// Kills the command unless it was already waited for: its pid may belong to another process by then.
  @Override
  public void destroy() {
    if (!reaped.get()) {
      sys.kill(pid, 9);
    }
  }

  @Override
  public Optional<InputStream> stderr() {
    return Optional.empty();
  }

  /// The terminal's output; it ends when the last process holding the terminal exits.
  @Override
  public InputStream stdout() {
    return new InputStream() {
      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (closed.get()) {
          return -1;
        }
        byte[] buf = new byte[Math.min(len, 8192)];
        int n = sys.read(master, buf);
        if (n <= 0) {
          return -1;
        }
        System.arraycopy(buf, 0, b, off, n);
        return n;
      }
    };
  }

  @Override
  public OutputStream stdin() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (closed.get()) {
          throw new IOException("terminal closed");
        }
        byte[] buf = new byte[len];
        System.arraycopy(b, off, buf, 0, len);
        sys.write(master, buf, len);
      }
    };
  }

  @Override
  public void resize(TerminalSize size) {
    if (size.rows() > 0 && size.columns() > 0) {
      sys.setWindowSize(master, size.rows(), size.columns());
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      sys.close(master);
    }
  }
}
