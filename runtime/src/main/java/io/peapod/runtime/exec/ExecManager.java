package io.peapod.runtime.exec;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.ExecResult;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.runtime.container.ContainerSpecs;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/// Commands run in running containers with the OCI runtime's `exec`: collected with a timeout
/// (ExecSync, for probes and hooks) or streamed (exec, with or without a terminal).
public final class ExecManager {
  /// ExecSync keeps at most this much of each stream, as kubelet caps probe output.
  private static final int MAX_OUTPUT = 16 * 1024;
  /// How long output is waited for once the command itself has ended.
  private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);
  private final RuntimeStore store;
  private final OciRuntime oci;
  private final Syscalls sys;
  private final Path tmpDir;

  public ExecManager(RuntimeStore store, OciRuntime oci, Syscalls sys, Path tmpDir) {
    this.store = store;
    this.oci = oci;
    this.sys = sys;
    this.tmpDir = tmpDir;
    sweep();
  }

  /// The runtime logs of execs the daemon did not live to wait for.
  private void sweep() {
    if (!Files.isDirectory(tmpDir)) {
      return;
    }
    try (var files = Files.list(tmpDir)) {
      for (Path p : files.filter(f -> f.getFileName().toString().startsWith("exec-")).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new InternalException("clean " + tmpDir + ": " + e.getMessage(), e);
    }
  }

  private ContainerStatus running(String id, List<String> command) {
    ContainerStatus c = store.requireContainer(id);
    if (!c.state().canExec()) {
      throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + "; exec needs RUNNING");
    }
    if (command.isEmpty()) {
      throw new InvalidArgumentException("exec needs a command");
    }
    return c;
  }

  /// Runs the command and collects its output; one still running after `timeout` is killed (the
  /// process in the container, through the pid the runtime recorded, not only the runtime) and the
  /// result says it timed out.
  public ExecResult execSync(String id, List<String> command, Duration timeout) {
    ContainerStatus c = running(id, command);
    Path pidFile = tmpDir.resolve("exec-" + id.substring(0, 12) + "-" + System.nanoTime() + ".pid");
    Path log = runtimeLog(id);
    try {
      Files.createDirectories(tmpDir);
      Process p = new ProcessBuilder(oci.execArgv(id, command, false, Optional.of(pidFile), log))
          .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
      Output out = collect(p.getInputStream());
      Output err = collect(p.getErrorStream());
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!done) {
        killExecProcess(pidFile);
        p.destroyForcibly();
        p.waitFor();
      }
      byte[] stdout = out.await();
      byte[] stderr = err.await();
      int code = done ? ExecExitCodes.of(p.exitValue(), log) : -1;
      return new ExecResult(code, stdout, stderr, !done);
    } catch (IOException e) {
      throw new InternalException("exec in container " + c.name() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted running exec in container " + c.name(), e);
    } finally {
      try {
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(log);
      } catch (IOException e) {
        throw new InternalException("remove " + pidFile + ": " + e.getMessage(), e);
      }
    }
  }

  private void killExecProcess(Path pidFile) {
    try {
      String pid = Files.readString(pidFile).trim();
      if (!pid.isEmpty()) {
        sys.kill(Integer.parseInt(pid), 9);
      }
    } catch (IOException | NumberFormatException e) {
      // The runtime had not started the process yet: killing the runtime below is enough.
    }
  }

  /// What a command wrote to one pipe. A process it left in the background (`sleep 600 &`) may hold the
  /// pipe open long after the command ended: [#await] gives up waiting for the end after [#OUTPUT_GRACE]
  /// and answers with what was read, and the reader goes on (and ends) with that process.
  private static final class Output {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    synchronized void add(byte[] buf, int n) {
      kept.write(buf, 0, Math.max(0, Math.min(n, MAX_OUTPUT - kept.size())));
    }

    byte[] await() throws InterruptedException {
      try {
        ended.get(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException stillOpen) {
        // Answer with what is there.
      }
      synchronized (this) {
        return kept.toByteArray();
      }
    }
  }

  private static Output collect(InputStream in) {
    Output o = new Output();
    Thread.ofVirtual().start(() -> {
      byte[] buf = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          o.add(buf, n);
        }
      } catch (IOException e) {
        // The stream ends when the process is killed; what was read is the output.
      }
      o.ended.complete(null);
    });
    return o;
  }

  private Path runtimeLog(String id) {
    return tmpDir.resolve("exec-" + id.substring(0, 12) + "-" + System.nanoTime() + ".log");
  }

  /// Starts the command with pipes, or on a new terminal of the given size.
  public ExecProcess exec(String id, List<String> command, Optional<TerminalSize> tty) {
    ContainerStatus c = running(id, command);
    Path log = runtimeLog(id);
    try {
      Files.createDirectories(tmpDir);
    } catch (IOException e) {
      throw new InternalException("make " + tmpDir + ": " + e.getMessage(), e);
    }
    if (tty.isPresent()) {
      return new TerminalExec(sys.spawnOnTerminal(oci.execArgv(id, command, true, Optional.empty(), log),
          Map.of("PATH", ContainerSpecs.DEFAULT_PATH, "TERM", "xterm"), tty.get().rows(), tty.get().columns()), sys,
          log);
    }
    try {
      return new PipeExec(new ProcessBuilder(oci.execArgv(id, command, false, Optional.empty(), log)).start(), log);
    } catch (IOException e) {
      throw new InternalException("exec in container " + c.name() + ": " + e.getMessage(), e);
    }
  }
}
