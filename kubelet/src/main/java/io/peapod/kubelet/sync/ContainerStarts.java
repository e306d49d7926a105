package io.peapod.kubelet.sync;

import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.EphemeralContainer;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.status.Waiting;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxStatus;
import java.lang.System.Logger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Starts what one sync decided to start: init containers one after another, app containers side by
/// side (as kubelet starts them), then ephemeral containers, each in the process namespace of its
/// target. Why a container does not run yet goes into the sync's `waiting`.
final class ContainerStarts {
  private static final Logger LOG = System.getLogger(ContainerStarts.class.getName());
  private final ContainerStarter starter;
  private PodWorkers workers;

  ContainerStarts(ContainerStarter starter) {
    this.starter = starter;
  }

  void workers(PodWorkers workers) {
    this.workers = workers;
  }

  void start(SyncContext ctx, PodRuntimeState state, SandboxStatus sandbox, PodActions a,
      Map<String, Waiting> waiting) {
    for (ContainerSpec c : a.initToStart()) {
      start(ctx, state, sandbox, c, a, Optional.empty(), waiting);
    }
    startApps(ctx, state, sandbox, a.containersToStart(), a, waiting);
    for (EphemeralContainer e : a.ephemeralToStart()) {
      Optional<String> target = e.targetContainerName();
      Optional<ContainerStatus> running = target.flatMap(state::latest)
          .filter(s -> s.state() == ContainerState.RUNNING && s.sandboxId().equals(sandbox.id()));
      if (target.isPresent() && running.isEmpty()) {
        // kubelet cannot start it either; the target may still come up, and the next sync tries again.
        waiting.put(e.container().name(), new Waiting("CreateContainerError", "target container " + target.get()
            + " is not running, so its process namespace cannot be joined"));
        continue;
      }
      start(ctx, state, sandbox, e.container(), a, running.map(ContainerStatus::id), waiting);
    }
  }

  private void start(SyncContext ctx, PodRuntimeState state, SandboxStatus sandbox, ContainerSpec c, PodActions a,
      Optional<String> pidTarget, Map<String, Waiting> waiting) {
    int attempt = state.latest(c.name()).map(s -> s.attempt() + 1).orElse(0);
    try {
      starter.start(ctx, sandbox, c, attempt, Optional.ofNullable(a.restartOf().get(c.name())), pidTarget)
          .ifPresent(w -> {
            waiting.put(c.name(), w.waiting());
            w.retryAt().ifPresent(at -> workers.signalAt(ctx.uid(), at));
          });
    } catch (PeapodException e) {
      LOG.log(Logger.Level.WARNING, "starting container " + c.name() + " of pod " + ctx.pod().name() + " failed", e);
      waiting.put(c.name(), new Waiting("CreateContainerError", e.getMessage()));
    }
  }

  private void startApps(SyncContext ctx, PodRuntimeState state, SandboxStatus sandbox, List<ContainerSpec> cs,
      PodActions a, Map<String, Waiting> waiting) {
    if (cs.size() == 1) {
      start(ctx, state, sandbox, cs.getFirst(), a, Optional.empty(), waiting);
      return;
    }
    Map<String, Waiting> found = new ConcurrentHashMap<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> started = new ArrayList<>();
      for (ContainerSpec c : cs) {
        started.add(ex.submit(() -> start(ctx, state, sandbox, c, a, Optional.empty(), found)));
      }
      for (Future<?> f : started) {
        try {
          f.get();
        } catch (ExecutionException e) {
          LOG.log(Logger.Level.ERROR, "starting a container of pod " + ctx.pod().name() + " failed", e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    waiting.putAll(found);
  }
}
