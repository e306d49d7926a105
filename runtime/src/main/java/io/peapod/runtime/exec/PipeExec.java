package io.peapod.runtime.exec;

import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.TerminalSize;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Optional;

/// A command exec'd with pipes: the OCI runtime's process, whose stdio are the command's.
final class PipeExec implements ExecProcess {
  private final Process process;
  private final Path runtimeLog;

  PipeExec(Process process, Path runtimeLog) {
    this.process = process;
    this.runtimeLog = runtimeLog;
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
    return ExecExitCodes.of(process.waitFor(), runtimeLog);
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
  /// The runtime's log goes once [#waitFor] has read it (close may come first, from the output's reader).
  @Override
  public void close() {
    // Nothing is held beyond the pipes.
  }
}
