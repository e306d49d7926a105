package io.peapod.testing;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStats;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.ExecResult;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.TerminalSize;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/// The runtime in memory, for the kubelet's and the CRI server's unit tests. It keeps CRI's states and
/// rules (a container needs a READY sandbox, stopping what is gone succeeds), tells subscribers of
/// every event at once on the caller's thread, and lets a test make things happen: a process exits
/// ([#exit]), a pause process dies ([#killSandbox]), a call fails ([#failNext]), a process cannot run
/// ([#cannotRun]), an exec answers ([#onExec]). [#calls] records what the caller asked, one line each.
public final class FakeRuntime implements RuntimeService {
  public final List<String> calls = new CopyOnWriteArrayList<>();
  private final InstantSource clock;
  private final Map<String, SandboxStatus> sandboxes = new LinkedHashMap<>();
  private final Map<String, ContainerStatus> containers = new LinkedHashMap<>();
  private final Map<String, PeapodException> failures = new LinkedHashMap<>();
  private final Map<String, PeapodException> lasting = new LinkedHashMap<>();
  private final Map<String, String> cannotRun = new LinkedHashMap<>();
  private final Map<String, ContainerStats> stats = new LinkedHashMap<>();
  private final Map<String, ContainerConfig> configs = new LinkedHashMap<>();
  private final List<Consumer<ContainerEvent>> listeners = new CopyOnWriteArrayList<>();
  private BiFunction<ContainerStatus, List<String>, ExecResult> exec =
      (c, cmd) -> new ExecResult(0, new byte[0], new byte[0], false);
  private int stopExitCode = 137;
  private long next;

  public FakeRuntime(InstantSource clock) {
    this.clock = clock;
  }

  // ---- what a test makes happen ------------------------------------------------------------------

  /// The next call of `operation` (`runPodSandbox`, `createContainer:NAME`, `startContainer:NAME`,
  /// `stopContainer:NAME`, `removePodSandbox`) throws `e`.
  public synchronized void failNext(String operation, PeapodException e) {
    failures.put(operation, e);
  }

  /// Every call of `operation` throws `e` until [#clearFailures].
  public synchronized void failAlways(String operation, PeapodException e) {
    lasting.put(operation, e);
  }

  public synchronized void clearFailures() {
    failures.clear();
    lasting.clear();
  }

  /// Containers named `name` are created EXITED, as the OCI runtime reports a missing binary, until
  /// [#canRun] says otherwise.
  public synchronized void cannotRun(String name, String message) {
    cannotRun.put(name, message);
  }

  public synchronized void canRun(String name) {
    cannotRun.remove(name);
  }

  public synchronized void onExec(BiFunction<ContainerStatus, List<String>, ExecResult> handler) {
    this.exec = handler;
  }

  /// The exit code a container reports when [#stopContainer] stops it.
  public synchronized void stopExitCode(int code) {
    this.stopExitCode = code;
  }

  /// The container's process exits with `code`.
  public void exit(String containerId, int code) {
    ContainerStatus c;
    synchronized (this) {
      c = require(containerId);
      if (c.state() != ContainerState.RUNNING) {
        throw new IllegalStateException("container " + c.name() + " is " + c.state());
      }
      c = exited(c, code, code == 0 ? "Completed" : "Error", "");
      containers.put(containerId, c);
    }
    emit(ContainerEvent.Type.STOPPED, c.id(), c.sandboxId());
  }

  /// The running instance of `name` exits with `code`.
  public void exitRunning(String name, int code) {
    exit(running(name).orElseThrow(() -> new IllegalStateException("no running " + name)).id(), code);
  }

  /// The sandbox's pause process dies: the sandbox is NOTREADY, its containers keep running.
  public void killSandbox(String sandboxId) {
    synchronized (this) {
      SandboxStatus s = sandboxes.get(sandboxId);
      sandboxes.put(sandboxId, withState(s, SandboxState.NOTREADY));
    }
    emit(ContainerEvent.Type.STOPPED, sandboxId, sandboxId);
  }

  // ---- what a test reads --------------------------------------------------------------------------

  public synchronized Optional<ContainerStatus> running(String name) {
    return containers.values().stream().filter(c -> c.name().equals(name) && c.state() == ContainerState.RUNNING)
        .findFirst();
  }

  /// Every instance of the named container, oldest first.
  public synchronized List<ContainerStatus> instances(String name) {
    return containers.values().stream().filter(c -> c.name().equals(name)).toList();
  }

  /// The config a container was created with.
  public synchronized ContainerConfig config(String containerId) {
    return configs.get(containerId);
  }

  public synchronized List<SandboxStatus> sandboxes() {
    return List.copyOf(sandboxes.values());
  }

  // ---- RuntimeService -----------------------------------------------------------------------------

  @Override
  public String runPodSandbox(PodSandboxConfig config) {
    String id;
    synchronized (this) {
      calls.add("runPodSandbox " + config.name() + " attempt " + config.attempt());
      fail("runPodSandbox");
      id = newId("s");
      sandboxes.put(id, new SandboxStatus(id, config, SandboxState.READY, clock.instant(), "/run/netns/" + id, 1000,
          "10.0.0." + next));
    }
    emit(ContainerEvent.Type.CREATED, id, id);
    emit(ContainerEvent.Type.STARTED, id, id);
    return id;
  }

  @Override
  public void stopPodSandbox(String sandboxId) {
    List<String> stopped = new ArrayList<>();
    synchronized (this) {
      calls.add("stopPodSandbox " + sandboxId);
      SandboxStatus s = sandboxes.get(sandboxId);
      if (s == null) {
        return;
      }
      for (ContainerStatus c : List.copyOf(containers.values())) {
        if (c.sandboxId().equals(sandboxId) && c.state() != ContainerState.EXITED) {
          containers.put(c.id(), exited(c, stopExitCode, "Error", ""));
          stopped.add(c.id());
        }
      }
      sandboxes.put(sandboxId, withState(s, SandboxState.NOTREADY));
    }
    stopped.forEach(id -> emit(ContainerEvent.Type.STOPPED, id, sandboxId));
  }

  @Override
  public void removePodSandbox(String sandboxId) {
    stopPodSandbox(sandboxId);
    synchronized (this) {
      calls.add("removePodSandbox " + sandboxId);
      fail("removePodSandbox");
      containers.values().removeIf(c -> c.sandboxId().equals(sandboxId));
      sandboxes.remove(sandboxId);
    }
  }

  @Override
  public synchronized SandboxStatus podSandboxStatus(String sandboxId) {
    SandboxStatus s = sandboxes.get(sandboxId);
    if (s == null) {
      throw new NotFoundException("pod sandbox " + sandboxId + " not found");
    }
    return s;
  }

  @Override
  public synchronized List<SandboxStatus> listPodSandboxes(Optional<String> podUid) {
    return sandboxes.values().stream().filter(s -> podUid.isEmpty() || s.podUid().equals(podUid.get())).toList();
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config) {
    String id;
    synchronized (this) {
      calls.add("createContainer " + config.name() + " attempt " + config.attempt());
      fail("createContainer:" + config.name());
      SandboxStatus s = podSandboxStatus(sandboxId);
      if (s.state() != SandboxState.READY) {
        throw new FailedPreconditionException("pod sandbox " + sandboxId + " is not ready");
      }
      id = newId("c");
      ContainerStatus c = new ContainerStatus(id, sandboxId, config.name(), config.attempt(), config.image(),
          "sha256:" + config.image().hashCode(), ContainerState.CREATED, clock.instant(), Optional.empty(),
          Optional.empty(), 0, "", "", 0, config.logPath(), config.labels(), config.annotations());
      String why = cannotRun.get(config.name());
      containers.put(id, why == null ? c : exited(c, 128, "ContainerCannotRun", why));
      configs.put(id, config);
    }
    emit(ContainerEvent.Type.CREATED, id, sandboxId);
    return id;
  }

  @Override
  public void startContainer(String containerId) {
    ContainerStatus c;
    synchronized (this) {
      c = require(containerId);
      calls.add("startContainer " + c.name() + " attempt " + c.attempt());
      fail("startContainer:" + c.name());
      if (c.state() != ContainerState.CREATED) {
        throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + ", not CREATED");
      }
      c = new ContainerStatus(c.id(), c.sandboxId(), c.name(), c.attempt(), c.image(), c.imageId(),
          ContainerState.RUNNING, c.createdAt(), Optional.of(clock.instant()), Optional.empty(), 0, "", "", 4242,
          c.logPath(), c.labels(), c.annotations());
      containers.put(containerId, c);
    }
    emit(ContainerEvent.Type.STARTED, containerId, c.sandboxId());
  }

  @Override
  public void stopContainer(String containerId, Duration timeout) {
    ContainerStatus c;
    synchronized (this) {
      c = containers.get(containerId);
      if (c == null) {
        return;
      }
      calls.add("stopContainer " + c.name() + " attempt " + c.attempt() + " grace " + timeout.toSeconds() + "s");
      fail("stopContainer:" + c.name());
      if (c.state() == ContainerState.EXITED) {
        return;
      }
      c = exited(c, stopExitCode, "Error", "");
      containers.put(containerId, c);
    }
    emit(ContainerEvent.Type.STOPPED, containerId, c.sandboxId());
  }

  @Override
  public void removeContainer(String containerId) {
    ContainerStatus c;
    synchronized (this) {
      c = containers.get(containerId);
      if (c == null) {
        return;
      }
      calls.add("removeContainer " + c.name() + " attempt " + c.attempt());
      if (c.state() == ContainerState.RUNNING) {
        throw new FailedPreconditionException("container " + c.name() + " is running");
      }
      containers.remove(containerId);
    }
    emit(ContainerEvent.Type.DELETED, containerId, c.sandboxId());
  }

  @Override
  public synchronized ContainerStatus containerStatus(String containerId) {
    return require(containerId);
  }

  @Override
  public synchronized List<ContainerStatus> listContainers(Optional<String> sandboxId) {
    return containers.values().stream().filter(c -> sandboxId.isEmpty() || c.sandboxId().equals(sandboxId.get()))
        .toList();
  }

  @Override
  public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
    ContainerStatus c;
    BiFunction<ContainerStatus, List<String>, ExecResult> handler;
    synchronized (this) {
      c = require(containerId);
      calls.add("execSync " + c.name() + " " + String.join(" ", command));
      if (c.state() != ContainerState.RUNNING) {
        throw new FailedPreconditionException("container " + c.name() + " is " + c.state() + "; exec needs RUNNING");
      }
      handler = exec;
    }
    return handler.apply(c, command);
  }

  @Override
  public ExecProcess exec(String containerId, List<String> command, Optional<TerminalSize> tty) {
    throw new UnsupportedOperationException("FakeRuntime has no streaming exec");
  }

  @Override
  public ExecProcess attach(String containerId, boolean stdin, Optional<TerminalSize> tty) {
    throw new UnsupportedOperationException("FakeRuntime has no container streams to attach to");
  }

  @Override
  public synchronized void updateContainerResources(String containerId, io.peapod.runtime.api.Resources resources) {
    ContainerStatus c = require(containerId);
    if (c.state() == ContainerState.EXITED) {
      throw new io.peapod.base.error.FailedPreconditionException("container " + containerId + " has exited");
    }
    calls.add("updateContainerResources " + c.name() + " " + resources);
  }

  @Override
  public synchronized void reopenContainerLog(String containerId) {
    calls.add("reopenContainerLog " + require(containerId).name());
  }

  @Override
  public synchronized ContainerStats containerStats(String containerId) {
    require(containerId);
    return stats.getOrDefault(containerId, new ContainerStats(containerId, java.time.Instant.EPOCH, 0, 0));
  }

  /// What [#containerStats] answers for a container from now on.
  public synchronized void setStats(ContainerStats s) {
    stats.put(s.containerId(), s);
  }

  @Override
  public AutoCloseable subscribe(Consumer<ContainerEvent> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private void fail(String operation) {
    PeapodException e = failures.remove(operation);
    if (e == null) {
      e = lasting.get(operation);
    }
    if (e != null) {
      throw e;
    }
  }

  private ContainerStatus require(String id) {
    ContainerStatus c = containers.get(id);
    if (c == null) {
      throw new NotFoundException("container " + id + " not found");
    }
    return c;
  }

  private ContainerStatus exited(ContainerStatus c, int code, String reason, String message) {
    return new ContainerStatus(c.id(), c.sandboxId(), c.name(), c.attempt(), c.image(), c.imageId(),
        ContainerState.EXITED, c.createdAt(), Optional.of(c.startedAt().orElse(clock.instant())),
        Optional.of(clock.instant()), code, reason, message, 0, c.logPath(), c.labels(), c.annotations());
  }

  private static SandboxStatus withState(SandboxStatus s, SandboxState state) {
    return new SandboxStatus(s.id(), s.config(), state, s.createdAt(), s.netnsPath(), s.pausePid(), s.ip());
  }

  private String newId(String prefix) {
    next++;
    return prefix + String.format("%063x", next);
  }

  private void emit(ContainerEvent.Type type, String id, String sandboxId) {
    String uid;
    synchronized (this) {
      SandboxStatus s = sandboxes.get(sandboxId);
      uid = s == null ? "" : s.podUid();
    }
    ContainerEvent e = new ContainerEvent(type, id, sandboxId, uid, clock.instant());
    listeners.forEach(l -> l.accept(e));
  }
}
