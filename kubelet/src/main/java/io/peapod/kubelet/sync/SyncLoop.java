package io.peapod.kubelet.sync;

import io.peapod.base.concurrent.BackOff;
import io.peapod.base.concurrent.Timers;
import io.peapod.kubelet.event.EventStore;
import io.peapod.kubelet.image.ImageManager;
import io.peapod.kubelet.lifecycle.HookRunner;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.probe.ProbeManager;
import io.peapod.kubelet.restart.CrashLoopBackOff;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.podspec.Environment;
import io.peapod.sys.Syscalls;
import io.peapod.kubelet.status.PodStatusBuilder;
import io.peapod.kubelet.status.PodWaits;
import io.peapod.kubelet.volume.VolumeManager;
import io.peapod.runtime.api.RuntimeService;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Collection;
import java.util.concurrent.Executor;

/// kubelet's sync loop: a worker per pod ([PodWorkers]) running [PodSyncer], woken by what changes a
/// pod — the runtime's events (a container started or ended, a sandbox died: kubelet's PLEG, from the
/// monitors' exit files rather than by polling), probe results, finished pulls, back-offs that end — and
/// once a minute anyway, as kubelet resyncs. An idle node costs a few queries per pod per minute.
public final class SyncLoop implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SyncLoop.class.getName());
  private static final Duration RESYNC = Duration.ofMinutes(1);
  private static final Duration EVENT_GC = Duration.ofMinutes(10);
  private final PodStore store;
  private final RuntimeService runtime;
  private final EventStore events;
  private final Timers timers;
  private final PodWorkers workers;
  private volatile boolean closed;
  private AutoCloseable subscription = () -> { };

  public SyncLoop(PodStore store, PodSpecs specs, RuntimeService runtime, ImageManager images, DataStore secrets,
      VolumeManager volumes, RuntimeConfigs configs, HookRunner hooks, ProbeManager probes, CrashLoopBackOff crashLoop,
      BackOff createBackOff, PodWaits waits, PodStatusBuilder statuses, EventStore events, PodChanges changes,
      Timers timers, InstantSource clock, Executor executor, Path nodeHosts, Node node) {
    this.store = store;
    this.runtime = runtime;
    this.events = events;
    this.timers = timers;
    PodTerminator terminator = new PodTerminator(runtime, hooks, events);
    ContainerStarter starter = new ContainerStarter(runtime, images, secrets, volumes, configs, hooks, crashLoop,
        createBackOff, events, this::signal, clock, node.environment(), node.sys(), node.name(), node.ip(), waits);
    PodSyncer syncer = new PodSyncer(store, specs, runtime, new ActionPlanner(probes, crashLoop), starter, terminator,
        new ContainerGc(runtime, volumes), probes, volumes, configs, images, crashLoop,
        new BackOff(createBackOff.initial(), createBackOff.max(), clock), waits, statuses, events, changes, clock,
        nodeHosts);
    this.workers = new PodWorkers(executor, timers, clock, syncer::sync);
    syncer.workers(workers);
  }

  /// What containers learn of the node: its name and address, and their environment's resolver.
  public record Node(Environment environment, Syscalls sys, String name, java.util.function.Supplier<String> ip) {}

  /// Listens to the runtime and syncs the given pods (every pod at start).
  public void start(Collection<String> podUids) {
    subscription = runtime.subscribe(e -> {
      if (!e.podUid().isEmpty()) {
        signal(e.podUid());
      }
    });
    podUids.forEach(this::signal);
    timers.schedule(RESYNC, this::resync);
    timers.schedule(EVENT_GC, this::expireEvents);
  }

  public void signal(String podUid) {
    if (!closed) {
      workers.signal(podUid);
    }
  }

  private void resync() {
    if (closed) {
      return;
    }
    store.list(java.util.Optional.empty()).forEach(p -> workers.signal(p.uid()));
    timers.schedule(RESYNC, this::resync);
  }

  private void expireEvents() {
    if (closed) {
      return;
    }
    int n = events.expire();
    if (n > 0) {
      LOG.log(Logger.Level.DEBUG, "expired {0} events", n);
    }
    timers.schedule(EVENT_GC, this::expireEvents);
  }

  @Override
  public void close() {
    closed = true;
    workers.close();
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.log(Logger.Level.WARNING, "unsubscribe from runtime events: " + e.getMessage());
    }
  }
}
