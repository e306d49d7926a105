package io.peapod.runtime.exec;

import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/// A command exec'd with pipes: the OCI runtime's process, whose stdio are the command's.
final class PipeExec implements ExecProcess {
  private final Process process;

  PipeExec(Process process) {
    this.process = process;
  }

  @Override
  public InputStream stdout() {
    return process.getInputStream();
  }

  @Override
  public Optional<InputStream> stderr() {
    return Optional.of(process.getErrorStream());
  }

  @Override
  public OutputStream stdin() {
    return process.getOutputStream();
  }

  @Override
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void destroy() {
    process.destroyForcibly();
  }

  @Override
  public void resize(TerminalSize size) {
    // Without a terminal there is no size to set.
  }

  /// The pipes are closed by whoever reads and writes them; the process is left to end on its own.
  @Override
  public void close() {
    // Nothing is held beyond the pipes.
  }
}
