package io.peapod.runtime.container;

import io.peapod.base.concurrent.KeyedLock;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.json.Json;
import io.peapod.image.ImageService;
import io.peapod.image.ResolvedImage;
import io.peapod.runtime.Rollback;
import io.peapod.runtime.RuntimeEvents;
import io.peapod.runtime.RuntimeIds;
import io.peapod.runtime.RuntimeLayout;
import io.peapod.runtime.api.ContainerConfig;
import io.peapod.runtime.api.ContainerEvent;
import io.peapod.runtime.api.ContainerRun;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.cgroup.CgroupKill;
import io.peapod.runtime.logs.LogRotator;
import io.peapod.runtime.monitor.ConmonRequest;
import io.peapod.runtime.monitor.ContainerMonitors;
import io.peapod.runtime.monitor.Created;
import io.peapod.runtime.monitor.ExitWatcher;
import io.peapod.runtime.monitor.MonitorPid;
import io.peapod.runtime.monitor.MonitorWatcher;
import io.peapod.runtime.monitor.OciRuntime;
import io.peapod.runtime.oci.OciSpecs;
import io.peapod.runtime.snapshot.OverlaySnapshotter;
import io.peapod.runtime.snapshot.RootMounter;
import io.peapod.runtime.state.RuntimeStore;
import io.peapod.sys.Mount;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/// CreateContainer, StartContainer, StopContainer and RemoveContainer. Creating and removing take the
/// sandbox's lock; stopping does not, so a pod's containers wait out their grace periods side by side.
public final class ContainerManager {
  private static final Logger LOG = System.getLogger(ContainerManager.class.getName());
  private static final Duration KILL_WAIT = Duration.ofSeconds(10);
  /// How often a stop waiting for an exit file looks whether the exit was recorded another way.
  private static final Duration EXIT_RECHECK = Duration.ofMillis(200);

  private final RuntimeLayout layout;
  private final ImageService images;
  private final RuntimeStore store;
  private final OciRuntime oci;
  private final ContainerMonitors monitor;
  private final OciSpecs specs;
  private final ContainerSpecs containerSpecs;
  private final OverlaySnapshotter snapshots;
  private final RootMounter roots;
  private final ExitWatcher exitFiles;
  private final MonitorWatcher monitors;
  private final LogRotator logs;
  private final long logMaxBytes;
  private final ContainerResources resources;
  private final ContainerExits exits;
  private final RuntimeEvents events;
  private final KeyedLock<String> sandboxLocks;
  private final CgroupKill kills;

  public ContainerManager(RuntimeLayout layout, ImageService images, RuntimeStore store, OciRuntime oci,
      ContainerMonitors monitor, OciSpecs specs, ContainerSpecs containerSpecs, OverlaySnapshotter snapshots,
      RootMounter roots, ExitWatcher exitFiles, MonitorWatcher monitors, LogRotator logs, long logMaxBytes,
      ContainerResources resources, ContainerExits exits, RuntimeEvents events, KeyedLock<String> sandboxLocks,
      CgroupKill kills) {
    this.kills = kills;
    this.layout = layout;
    this.images = images;
    this.store = store;
    this.oci = oci;
    this.monitor = monitor;
    this.specs = specs;
    this.containerSpecs = containerSpecs;
    this.snapshots = snapshots;
    this.roots = roots;
    this.exitFiles = exitFiles;
    this.monitors = monitors;
    this.logs = logs;
    this.logMaxBytes = logMaxBytes;
    this.resources = resources;
    this.exits = exits;
    this.events = events;
    this.sandboxLocks = sandboxLocks;
  }

  /// The row first (marked `creating`), then rootfs, spec and monitor; a failure undoes it all, and a
  /// crash part-way is undone by the next start.
  public String create(String sandboxId, ContainerConfig cfg) {
    // Shared: a pod's containers are made side by side, never while the sandbox is being stopped or removed;
    // a container's own start, removal and release take its id's lock inside the sandbox's (always in that order).
    String id = sandboxLocks.withSharedLock(sandboxId, () -> createLocked(sandboxId, cfg, false)).id();
    events.container(ContainerEvent.Type.CREATED, id, sandboxId);
    return id;
  }

  /// Create and start in one step, where the monitor can (the pod monitor runs the OCI runtime's `run`):
  /// one runtime process fewer on a pod's start. Otherwise, and for a container that joins another's
  /// process namespace (checked between the two), a create then a start.
  public ContainerRun run(String sandboxId, ContainerConfig cfg) {
    boolean atOnce = cfg.pidTarget().isEmpty();
    Made made = sandboxLocks.withSharedLock(sandboxId, () -> createLocked(sandboxId, cfg, atOnce));
    events.container(ContainerEvent.Type.CREATED, made.id(), sandboxId);
    if (made.started()) {
      events.container(ContainerEvent.Type.STARTED, made.id(), sandboxId);
    } else if (store.requireContainer(made.id()).state() == ContainerState.CREATED) {
      try {
        start(made.id());
      } catch (PeapodException e) {
        return new ContainerRun(made.id(), Optional.of(e));
      }
    }
    return ContainerRun.made(made.id());
  }

  /// A container made, and whether its process already runs.
  private record Made(String id, boolean started) {}

  /// `atOnce`: run the process at once where the monitor can.
  private Made createLocked(String sandboxId, ContainerConfig cfg, boolean atOnce) {
    SandboxStatus sandbox = store.requireSandbox(sandboxId);
    if (sandbox.state() != SandboxState.READY) {
      throw new FailedPreconditionException("pod sandbox " + sandboxId + " of pod " + sandbox.config().name()
          + " is not ready");
    }
    ResolvedImage image = images.resolve(cfg.image());
    Optional<PidTarget> pidTarget = cfg.pidTarget().map(t -> PidTarget.of(store, sandbox, t, cfg.name()));
    String id = RuntimeIds.newId();
    Path bundle = layout.containerDir(id);
    Path rootfs = bundle.resolve("rootfs");
    Path log = Path.of(sandbox.config().logDirectory()).resolve(cfg.logPath());
    Rollback rollback = new Rollback();
    try {
      store.insertContainer(new ContainerStatus(id, sandboxId, cfg.name(), cfg.attempt(),
          image.record().name().toString(), image.record().config().toString(), ContainerState.CREATED, Instant.now(),
          Optional.empty(), Optional.empty(), 0, "", "", 0, log.toString(), cfg.labels(), cfg.annotations()),
          image.record().manifest().toString());
      rollback.add(() -> store.deleteContainer(id));
      rollback.add(() -> resources.removeAll(id, log.toString()));
      Files.createDirectories(rootfs);
      Optional<Mount> overlay = roots.place(snapshots.prepare(id, image.layers(), rootfs));
      Files.writeString(bundle.resolve("config.json"), Json.pretty(specs.spec(containerSpecs.spec(sandbox, cfg, image,
          rootfs, overlay, id, pidTarget.map(PidTarget::pid)))));
      LogRotator.createDirectories(log.getParent());
      ConmonRequest request = new ConmonRequest(id, cfg.name(), bundle, log, logMaxBytes, layout.exitDir(),
          layout.socketDir(), RuntimeIds.shortId(id), cfg.stdio());
      Created created = atOnce ? monitor.run(sandboxId, request) : monitor.create(sandboxId, request);
      switch (created) {
        case Created.Running r -> {
          if (pidTarget.isPresent()) {
            pidTarget.get().joinedBy(r.pid(), cfg.name());
          }
          watchMonitor(id, sandboxId, bundle);
          logs.track(log);
          // Created, or created and started, in one update: a crash cannot leave a running process
          // recorded as only created.
          boolean recorded = r.startedAt().isEmpty() ? store.markCreated(id, r.pid())
              : store.markRunning(id, r.pid(), r.startedAt().get());
          if (!recorded) {
            // Its exit was recorded first, and released what it held: what was set up since is let go again.
            sandboxLocks.withLock(id, () -> resources.release(id, log.toString()));
          }
          return new Made(id, r.startedAt().isPresent());
        }
        case Created.Refused r -> {
          LOG.log(Logger.Level.INFO, "container {0} of pod {1} cannot run: {2}", cfg.name(), sandbox.config().name(),
              r.reason());
          resources.release(id, log.toString());
          store.markCannotRun(id, Instant.now(), r.reason());
          return new Made(id, false);
        }
      }
    } catch (IOException e) {
      throw rollback.undo(new InternalException("create container " + cfg.name() + ": " + e.getMessage(), e));
    } catch (RuntimeException e) {
      throw rollback.undo(e);
    }
  }

  /// Watches the container's monitor; one that is already gone is reported at once.
  void watchMonitor(String id, String sandboxId, Path bundle) {
    Optional<Integer> pid = MonitorPid.read(bundle);
    if (pid.isEmpty() || !monitors.watch(id, sandboxId, pid.get())) {
      Thread.ofVirtual().start(() -> exits.monitorGone(id));
    }
  }

  /// Runs the created process. The start time is taken first, from the clock finish times come from, so
  /// a process that ends at once never finishes before it started.
  public void start(String id) {
    ContainerStatus c = store.requireContainer(id);
    sandboxLocks.withSharedLock(c.sandboxId(), () -> sandboxLocks.withLock(id, () -> {
      ContainerStatus now = store.requireContainer(id);
      if (!now.state().canStart()) {
        throw new FailedPreconditionException("container " + now.name() + " is " + now.state()
            + (now.reason().isEmpty() ? "" : " (" + now.reason() + ": " + now.message() + ")") + ", not CREATED");
      }
      store.markStarted(id, Instant.now());
      try {
        oci.start(id);
      } catch (RuntimeException e) {
        store.markExited(id, 128, Instant.now(), "ContainerCannotRun", e.getMessage());
        resources.release(id, now.logPath());
        throw e;
      }
    }));
    events.container(ContainerEvent.Type.STARTED, id, c.sandboxId());
  }

  /// SIGTERM, then SIGKILL once `grace` has passed; returns when the exit is recorded. A container the
  /// OCI runtime no longer knows is recorded as lost.
  public void stop(String id, Duration grace) {
    Optional<ContainerStatus> c = store.container(id);
    if (c.isEmpty() || c.get().state() == ContainerState.EXITED) {
      return;
    }
    if (!oci.knows(id)) {
      exits.monitorGone(id);
      return;
    }
    if (!grace.isZero() && c.get().state() == ContainerState.RUNNING) {
      oci.kill(id, "TERM", false);
      if (awaitExit(id, grace)) {
        return;
      }
    }
    String parent = store.sandbox(c.get().sandboxId()).map(s -> s.config().cgroupParent()).orElse("");
    if (!kills.killContainer(parent, c.get().sandboxId(), id)) {
      oci.kill(id, "KILL", true);
    }
    if (!awaitExit(id, KILL_WAIT)) {
      throw new InternalException("container " + c.get().name() + " (" + id + ") did not exit "
          + KILL_WAIT.toSeconds() + " s after SIGKILL", null);
    }
  }

  /// Waits for the monitor's exit file, then records it here too, so that the caller sees EXITED on return.
  /// The exit may also be recorded without an exit file, by whoever saw the container's monitor die: that
  /// ends the wait too (a stop begun just before the monitor died would otherwise wait its whole grace for a
  /// file no one will write).
  private boolean awaitExit(String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    CompletableFuture<Integer> exitFile = exitFiles.onExit(id);
    try {
      while (true) {
        try {
          int code = exitFile.get(Math.min(EXIT_RECHECK.toNanos(), Math.max(0, deadline - System.nanoTime())),
              TimeUnit.NANOSECONDS);
          exits.exited(id, code, Instant.now());
          return true;
        } catch (TimeoutException e) {
          if (store.container(id).map(c -> c.state() == ContainerState.EXITED).orElse(true)) {
            return true;
          }
          if (System.nanoTime() - deadline >= 0) {
            return false;
          }
        }
      }
    } catch (ExecutionException e) {
      throw new InternalException("wait for exit of " + id, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted waiting for exit of " + id, e);
    }
  }

  /// Stops the container if it runs, then removes everything it has: rootfs, snapshot, bundle, log.
  public void remove(String id) {
    Optional<ContainerStatus> c = store.container(id);
    if (c.isEmpty()) {
      return;
    }
    stop(id, Duration.ZERO);
    sandboxLocks.withSharedLock(c.get().sandboxId(), () -> sandboxLocks.withLock(id, () -> removeLocked(c.get())));
  }

  /// Removal under the sandbox's lock, of a container that is not running.
  public void removeLocked(ContainerStatus c) {
    resources.removeAll(c.id(), c.logPath());
    store.deleteContainer(c.id());
    events.container(ContainerEvent.Type.DELETED, c.id(), c.sandboxId());
  }

  public void reopenLog(String id) {
    ContainerStatus c = store.requireContainer(id);
    if (c.state() != ContainerState.RUNNING) {
      throw new FailedPreconditionException("container " + c.name() + " is " + c.state()
          + "; only a running container's log can be reopened");
    }
    monitor.reopenLog(c.sandboxId(), id);
  }
}
