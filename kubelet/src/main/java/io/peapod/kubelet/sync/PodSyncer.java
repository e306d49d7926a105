package io.peapod.kubelet.sync;

import io.peapod.base.concurrent.BackOff;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.event.EventRecorder.PodRef;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.pod.StoredStatus;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.probe.ProbeManager;
import io.peapod.kubelet.restart.CrashLoopBackOff;
import io.peapod.kubelet.status.PodStatusBuilder;
import io.peapod.kubelet.status.PodWaits;
import io.peapod.kubelet.status.Waiting;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// One sync of one pod (kubelet's `SyncPod`): read what the runtime has of it, decide with
/// [ActionPlanner], act, keep its probes and garbage in order, and store and publish its status. A pod
/// marked for deletion is terminated and removed instead; a pod in a terminal phase is only kept
/// stopped. Every failure becomes the pod's status and an event, and the pod is synced again later.
final class PodSyncer {
  private static final Logger LOG = System.getLogger(PodSyncer.class.getName());
  /// How often the use of emptyDirs with a sizeLimit is measured (kubelet's eviction monitoring period).
  private static final Duration EVICTION_CHECK = Duration.ofSeconds(10);
  private final PodStore store;
  private final PodSpecs specs;
  private final RuntimeService runtime;
  private final ActionPlanner planner;
  private final ContainerStarter starter;
  private final ContainerStarts starts;
  private final PodTerminator terminator;
  private final ContainerGc gc;
  private final ProbeManager probes;
  private final VolumeManager volumes;
  private final RuntimeConfigs configs;
  private final ImageManager images;
  private final CrashLoopBackOff crashLoop;
  private final SandboxSetup setup;
  private final PodWaits waits;
  private final PodStatusBuilder statuses;
  private final EventRecorder events;
  private final PodChanges changes;
  private final InstantSource clock;
  private PodWorkers workers;
  private final OomEvents oomEvents;
  private final PodRemoval removal;

  PodSyncer(PodStore store, PodSpecs specs, RuntimeService runtime, ActionPlanner planner, ContainerStarter starter,
      PodTerminator terminator, ContainerGc gc, ProbeManager probes, VolumeManager volumes, RuntimeConfigs configs,
      ImageManager images, CrashLoopBackOff crashLoop, BackOff sandboxBackOff, PodWaits waits,
      PodStatusBuilder statuses, EventRecorder events, PodChanges changes, InstantSource clock, Path nodeHosts) {
    this.store = store;
    this.specs = specs;
    this.runtime = runtime;
    this.planner = planner;
    this.starter = starter;
    this.starts = new ContainerStarts(starter);
    this.terminator = terminator;
    this.gc = gc;
    this.probes = probes;
    this.volumes = volumes;
    this.configs = configs;
    this.images = images;
    this.crashLoop = crashLoop;
    this.setup = new SandboxSetup(runtime, configs, volumes, sandboxBackOff, waits, events, clock, nodeHosts);
    this.waits = waits;
    this.statuses = statuses;
    this.events = events;
    this.changes = changes;
    this.clock = clock;
    this.oomEvents = new OomEvents(events);
    this.removal = new PodRemoval(store, runtime, terminator, probes, volumes, configs, changes, this::forget,
        (ctx, state) -> publish(ctx.pod(), ctx.spec(), state));
  }

  void workers(PodWorkers workers) {
    this.workers = workers;
    starts.workers(workers);
    removal.workers(workers);
  }

  void sync(String uid) {
    Optional<PodRecord> rec = store.byUid(uid);
    if (rec.isEmpty()) {
      removal.removeOrphan(uid);
      return;
    }
    PodRecord pod = rec.get();
    PodManifest spec = specs.of(pod);
    SyncContext ctx = new SyncContext(pod, spec, new PodRef(pod.namespace(), pod.name(), uid));
    PodRuntimeState state = PodRuntimeState.read(runtime, uid);
    if (pod.deleting()) {
      removal.terminate(ctx, state);
      return;
    }
    if (pod.status().terminal()) {
      keepStopped(ctx, state);
      return;
    }
    Optional<Instant> deadline = deadline(pod, spec);
    if (deadline.isPresent() && !clock.instant().isBefore(deadline.get())) {
      fail(ctx, state, "DeadlineExceeded", "Pod was active on the node longer than the specified deadline",
          Duration.ofSeconds(pod.graceSeconds()));
      return;
    }
    Optional<String> overLimit = state.running().isEmpty() ? Optional.empty() : volumes.overLimit(spec, uid);
    if (overLimit.isPresent()) {
      // As kubelet evicts for local storage: at once, without the pod's grace period.
      fail(ctx, state, "Evicted", overLimit.get(), Duration.ZERO);
      return;
    }
    PodActions actions = planner.plan(spec, uid, state);
    Map<String, Waiting> waiting = waiting(ctx, actions);
    boolean volumesSetUp = act(ctx, state, actions, waiting, false);
    if (actions.createSandbox()) {
      // As kubelet's SyncPod: the containers start in the sync that made their sandbox, not the next one.
      state = PodRuntimeState.read(runtime, uid);
      PodActions next = planner.plan(spec, uid, state);
      if (state.latestSandbox().filter(SandboxStatus::ready).isPresent() && !next.createSandbox()) {
        actions = next;
        waiting = waiting(ctx, actions);
        act(ctx, state, actions, waiting, volumesSetUp);
      }
    }
    setup.refreshVolumes(ctx, state);
    state = PodRuntimeState.read(runtime, uid);
    syncProbes(ctx, state);
    oomEvents.report(ctx, state);
    gc.collect(uid, state);
    waits.setContainers(uid, waiting);
    publish(ctx.pod(), spec, PodRuntimeState.read(runtime, uid));
    actions.wakeAt().ifPresent(at -> workers.signalAt(uid, at));
    deadline.ifPresent(at -> workers.signalAt(uid, at));
    if (VolumeManager.hasDiskLimits(spec)) {
      workers.signalAt(uid, clock.instant().plus(EVICTION_CHECK));
    }
  }

  /// Why containers wait this sync, each restart back-off also an event.
  private Map<String, Waiting> waiting(SyncContext ctx, PodActions actions) {
    actions.waiting().forEach((name, w) -> events.warning(ctx.ref(), "BackOff", "Back-off restarting failed container "
        + name + " in pod " + ctx.spec().name() + "_" + ctx.spec().namespace() + "(" + ctx.uid() + ")"));
    return new LinkedHashMap<>(actions.waiting());
  }

  /// `volumesSetUp`: this sync has already set the pod's volumes up. Returns whether this act did (it made
  /// the sandbox, and its volumes with it).
  private boolean act(SyncContext ctx, PodRuntimeState state, PodActions a, Map<String, Waiting> waiting,
      boolean volumesSetUp) {
    String uid = ctx.uid();
    Duration grace = Duration.ofSeconds(ctx.pod().graceSeconds());
    if (a.killPod()) {
      if (!a.killReason().isEmpty()) {
        events.normal(ctx.ref(), "SandboxChanged", a.killReason());
      }
      probes.stopPod(uid);
      terminator.killPod(ctx.ref(), ctx.spec(), state, grace);
    }
    if (a.createSandbox()) {
      Optional<Instant> retry = setup.create(ctx, a.sandboxAttempt());
      retry.ifPresent(at -> workers.signalAt(uid, at));
      // A watcher's first sight of a new pod (ADDED) is it pending, as kubelet's first status is.
      publish(ctx.pod(), ctx.spec(), PodRuntimeState.read(runtime, uid));
      return retry.isEmpty();
    }
    Optional<SandboxStatus> sandbox = state.latestSandbox();
    if (sandbox.isEmpty() || !sandbox.get().ready()) {
      return false;
    }
    String podIp = sandbox.get().ip();
    for (ContainerStatus u : a.unstartedToRemove()) {
      LOG.log(Logger.Level.INFO, "removing container {0} of pod {1}/{2}: created but never started", u.name(),
          ctx.pod().namespace(), ctx.pod().name());
      runtime.stopContainer(u.id(), Duration.ZERO);
      runtime.removeContainer(u.id());
    }
    for (PodActions.Kill k : a.containersToKill()) {
      Duration g = k.graceSeconds().map(Duration::ofSeconds).orElse(grace);
      terminator.kill(ctx.ref(), podIp, Optional.of(k.spec()), k.container(), g, k.message());
    }
    if (!volumesSetUp
        && (!a.initToStart().isEmpty() || !a.containersToStart().isEmpty() || !a.ephemeralToStart().isEmpty())) {
      Optional<Instant> retry = setup.prepareVolumes(ctx, podIp);
      if (retry.isPresent()) {
        workers.signalAt(uid, retry.get());
        return false;
      }
    }
    starts.start(ctx, state, sandbox.get(), a, waiting);
    return false;
  }

  private void syncProbes(SyncContext ctx, PodRuntimeState state) {
    String ip = state.latestSandbox().map(SandboxStatus::ip).orElse("");
    List<ProbeManager.Running> running = new ArrayList<>();
    for (ContainerStatus c : state.running()) {
      PodTerminator.specOf(ctx.spec(), c.name()).ifPresent(s -> running.add(new ProbeManager.Running(c.id(), s,
          c.startedAt().orElse(clock.instant()))));
    }
    probes.sync(ctx.ref(), ip, running);
  }

  private static Optional<Instant> deadline(PodRecord pod, PodManifest spec) {
    return spec.activeDeadlineSeconds()
        .map(s -> pod.status().startTime().orElse(pod.created()).plusSeconds(s));
  }

  /// Ends the pod `Failed` with `reason` (its active deadline passed, or it was evicted), then stops
  /// its containers within `grace`; the phase is stored first, so a watcher sees it while they stop.
  private void fail(SyncContext ctx, PodRuntimeState state, String reason, String message, Duration grace) {
    if (reason.equals("Evicted")) {
      events.warning(ctx.ref(), reason, message);
    } else {
      events.normal(ctx.ref(), reason, message);
    }
    probes.stopPod(ctx.uid());
    StoredStatus s = ctx.pod().status();
    store.updateStatus(ctx.uid(), new StoredStatus("Failed", reason, message, s.startTime(), s.conditions()));
    terminator.killPod(ctx.ref(), ctx.spec(), state, grace);
    publish(store.byUid(ctx.uid()).orElseThrow(), ctx.spec(), PodRuntimeState.read(runtime, ctx.uid()));
  }

  /// A pod in a terminal phase: nothing runs again; its sandbox is stopped once.
  private void keepStopped(SyncContext ctx, PodRuntimeState state) {
    probes.stopPod(ctx.uid());
    if (!state.live().isEmpty() || state.sandboxes().stream().anyMatch(SandboxStatus::ready)) {
      terminator.killPod(ctx.ref(), ctx.spec(), state, Duration.ofSeconds(ctx.pod().graceSeconds()));
    }
    waits.setContainers(ctx.uid(), Map.of());
    publish(ctx.pod(), ctx.spec(), PodRuntimeState.read(runtime, ctx.uid()));
  }

  private void forget(String uid) {
    probes.stopPod(uid);
    crashLoop.forget(uid);
    images.forget(uid);
    starter.forget(uid);
    setup.forget(uid);
    waits.forget(uid);
    specs.forget(uid);
    oomEvents.forget(uid);
  }

  /// Stores the pod's status if it changed and tells watchers.
  void publish(PodRecord pod, PodManifest spec, PodRuntimeState state) {
    PodStatusBuilder.Result r = statuses.build(pod, spec, state, waits.containers(pod.uid()),
        waits.sandbox(pod.uid()), clock.instant());
    if (!r.stored().equals(pod.status())) {
      store.updateStatus(pod.uid(), r.stored());
      if (r.stored().terminal() && !pod.status().terminal()) {
        LOG.log(Logger.Level.INFO, "pod {0}/{1} {2}", pod.namespace(), pod.name(), r.stored().phase());
      }
    }
    changes.changed(r.view());
  }
}
