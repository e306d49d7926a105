package io.peapod.runtime.monitor;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// peapod-podmon (`server/src/main/c/podmon.c`): one small native monitor per pod instead of one conmon
/// per container. It is the parent of the pod's pause and of every container without stdin or terminal,
/// runs the OCI runtime's `create` for them, and writes the same files conmon does (CRI log, exit file,
/// attach socket, `monitor.pid`), so containers, logs and exit codes outlive the daemon as before.
///
/// It listens on `<sandbox dir>/monitor.sock` (`SOCK_SEQPACKET`); each request is one packet of fields
/// ended by NUL, each reply one packet: `ok [pid]`, `refused <why>` (the OCI runtime's create failed)
/// or `error <why>` (the monitor could not do it).
public final class PodMonitor implements AutoCloseable {
  private static final Logger LOG = System.getLogger(PodMonitor.class.getName());
  static final String SOCKET = "monitor.sock";
  /// In a container's bundle: it was asked to run (create and start at once), not only to be created.
  private static final String RUN_MARK = "run-at-once";
  /// podmon reads a request into a buffer of this size.
  private static final int REQUEST_MAX = 8191;
  private static final int REPLY_MAX = 2048;
  /// Generous: under a burst of a thousand pods one `runc create` took over two minutes here, and giving up
  /// on it only makes the work again. A monitor that is stopped (SIGSTOP) or gone astray must still not hold
  /// the caller, and the sandbox's lock, for ever.
  private static final Duration ANSWER_WAIT = Duration.ofMinutes(10);
  private final Path binary;
  private final OciRuntime runtime;
  private final Syscalls sys;
  /// Platform threads for the exchanges: the reply waits for runc's create (~40 ms), and on a virtual
  /// thread that native read would hold one of the few carriers every other virtual thread runs on.
  /// Reused, not one made per request, which under a burst of pods piled up stacks.
  private final ExecutorService exchanges = Executors.newCachedThreadPool(
      Thread.ofPlatform().daemon().name("pod-monitor-", 0).factory());

  public PodMonitor(Path binary, OciRuntime runtime, Syscalls sys) {
    this.binary = binary;
    this.runtime = runtime;
    this.sys = sys;
  }

  /// Containers with input or a terminal stay with conmon, which relays both.
  public static boolean serves(ContainerStdio stdio) {
    return !stdio.stdin() && !stdio.tty();
  }

  /// Whether the sandbox whose directory this is has a pod monitor (one made before it was installed has not).
  public static boolean runsIn(Path sandboxDir) {
    return Files.exists(sandboxDir.resolve(SOCKET));
  }

  /// Starts the monitor of a sandbox in its directory; returns once it listens. It leaves by itself when
  /// the pause container has ended and no container is left.
  public void start(String sandboxId, Path sandboxDir) {
    List<String> argv = new ArrayList<>(List.of(binary.toString(), sandboxId, sandboxDir.toString(),
        runtime.binary().path().toString()));
    argv.addAll(runtime.globalArgs());
    Path log = sandboxDir.resolve("monitor.log");
    SpawnedProcess p = sys.spawn(argv, Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
        log, List.of());
    int exit = sys.waitpid(p.pid());
    if (exit != 0 || MonitorPid.read(sandboxDir).isEmpty()) {
      throw new InternalException("the pod monitor of sandbox " + sandboxId + " did not start (exit " + exit + "): "
          + RuntimeLog.text(log), null);
    }
  }

  /// Runs create under the pod's monitor. A failure of the monitor itself (not of the container) is thrown.
  public Created create(ConmonRequest r, Path sandboxDir, boolean pause) {
    return created(r, sandboxDir, call(sandboxDir, request("create", r, pause)), Optional.empty());
  }

  /// Creates and starts at once (the OCI runtime's `run --detach`). Empty from a monitor older than this
  /// request, which made nothing: the caller creates, then starts.
  public Optional<Created> run(ConmonRequest r, Path sandboxDir) {
    Path mark = r.bundle().resolve(RUN_MARK);
    try {
      Files.createFile(mark);
    } catch (IOException e) {
      throw new InternalException("mark container " + r.containerId() + " as run at once: " + e.getMessage(), e);
    }
    // Taken before the request: the process cannot end before it, so no finish time comes before it.
    Instant startedAt = Instant.now();
    String reply = call(sandboxDir, request("run", r, false));
    if (reply.startsWith("error unknown request")) {
      try {
        Files.delete(mark);
      } catch (IOException e) {
        throw new InternalException("unmark container " + r.containerId() + ": " + e.getMessage(), e);
      }
      return Optional.empty();
    }
    return Optional.of(created(r, sandboxDir, reply, Optional.of(startedAt)));
  }

  /// Whether the container of this bundle was asked to run at once, and its monitor took it on (it writes
  /// its pid into the bundle once the OCI runtime's run has returned): its process started, and may have
  /// done its work and ended since.
  public static boolean ranAtOnce(Path bundle) {
    return Files.exists(bundle.resolve(RUN_MARK)) && MonitorPid.read(bundle).isPresent();
  }

  private static String[] request(String verb, ConmonRequest r, boolean pause) {
    return new String[] {verb, r.containerId(), r.bundle().toString(), r.logFile().toString(),
        String.valueOf(r.logSizeMax()), r.exitDir().toString(), r.socketDir().resolve(r.shortId()).toString(),
        pause ? "1" : "0"};
  }

  private static Created created(ConmonRequest r, Path sandboxDir, String reply, Optional<Instant> startedAt) {
    if (reply.startsWith("ok ")) {
      return new Created.Running(Integer.parseInt(reply.substring(3).trim()), startedAt);
    }
    if (reply.startsWith("refused ")) {
      String why = RuntimeLog.errors(r.bundle().resolve("runtime.log"));
      return new Created.Refused(why.isEmpty() ? reply.substring(8) : why);
    }
    throw new InternalException("the pod monitor in " + sandboxDir + " could not create container " + r.containerId()
        + ": " + reply, null);
  }

  /// Makes the monitor reopen a container's log file (after it was moved away).
  public void reopenLog(Path sandboxDir, String containerId) {
    String reply = call(sandboxDir, "reopen", containerId);
    if (!reply.equals("ok")) {
      throw new InternalException("the pod monitor in " + sandboxDir + " could not reopen the log of " + containerId
          + ": " + reply, null);
    }
  }

  /// Asks the monitor to leave now if it watches no container: for a sandbox undone before its pause
  /// was made. One that is gone already, or still watches containers, is left as it is.
  public void quit(Path sandboxDir) {
    if (!runsIn(sandboxDir)) {
      return;
    }
    try {
      String reply = call(sandboxDir, "quit");
      if (!reply.equals("ok")) {
        LOG.log(Logger.Level.DEBUG, "pod monitor in {0} stays: {1}", sandboxDir, reply);
      }
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.DEBUG, "pod monitor in {0} is gone: {1}", sandboxDir, e.getMessage());
    }
  }

  private String call(Path sandboxDir, String... fields) {
    byte[] request = (String.join("\0", fields) + "\0").getBytes(StandardCharsets.UTF_8);
    if (request.length > REQUEST_MAX) {
      throw new InternalException("request to the pod monitor is " + request.length + " bytes; it takes at most "
          + REQUEST_MAX, null);
    }
    Exchange exchange = new Exchange(sandboxDir.resolve(SOCKET), request);
    exchanges.execute(exchange::run);
    try {
      return exchange.answer.get(ANSWER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      exchange.abandon();
      throw new InternalException("the pod monitor in " + sandboxDir + " did not answer " + fields[0] + " within "
          + ANSWER_WAIT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new InternalException("ask the pod monitor in " + sandboxDir + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.abandon();
      throw new InternalException("interrupted asking the pod monitor in " + sandboxDir, e);
    }
  }

  /// One request and its reply on a connection of its own; a caller that stops waiting shuts the socket,
  /// which wakes the blocked read.
  private final class Exchange {
    private final Path socket;
    private final byte[] request;
    private final CompletableFuture<String> answer = new CompletableFuture<>();
    private int fd = -1;

    Exchange(Path socket, byte[] request) {
      this.socket = socket;
      this.request = request;
    }

    void run() {
      try {
        int connected = sys.connectSeqPacket(socket);
        synchronized (this) {
          fd = connected;
        }
        try {
          sys.write(connected, request, request.length);
          byte[] reply = new byte[REPLY_MAX];
          int n = sys.read(connected, reply);
          answer.complete(new String(reply, 0, Math.max(n, 0), StandardCharsets.UTF_8));
        } finally {
          synchronized (this) {
            fd = -1;
            sys.close(connected);
          }
        }
      } catch (RuntimeException e) {
        answer.completeExceptionally(e);
      }
    }

    synchronized void abandon() {
      if (fd >= 0) {
        sys.shutdown(fd, true, true);
      }
    }
  }

  @Override
  public void close() {
    exchanges.shutdownNow();
  }
}
