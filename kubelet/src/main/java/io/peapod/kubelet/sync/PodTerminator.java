package io.peapod.kubelet.sync;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.event.EventRecorder;
import io.peapod.kubelet.event.EventRecorder.PodRef;
import io.peapod.kubelet.lifecycle.HookRunner;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.probe.Prober;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// Stops containers as kubelet's `killContainer` does: the preStop hook first, within the grace period,
/// then SIGTERM and SIGKILL once what is left of the grace has passed (at least 2 s after a preStop, as
/// kubelet gives). A whole pod stops its app containers side by side, then its sidecars one at a time
/// in reverse order, then its sandbox.
final class PodTerminator {
  private static final Duration MIN_AFTER_PRESTOP = Duration.ofSeconds(2);
  private final RuntimeService runtime;
  private final HookRunner hooks;
  private final EventRecorder events;

  PodTerminator(RuntimeService runtime, HookRunner hooks, EventRecorder events) {
    this.runtime = runtime;
    this.hooks = hooks;
    this.events = events;
  }

  void kill(PodRef ref, String podIp, Optional<ContainerSpec> spec, ContainerStatus c, Duration grace, String message) {
    events.normal(ref, "Killing", message.isEmpty() ? "Stopping container " + c.name() : message);
    Duration left = grace;
    Optional<io.peapod.kubelet.manifest.Handler> preStop = spec.flatMap(s -> s.lifecycle().preStop());
    if (preStop.isPresent() && !grace.isZero()) {
      long t0 = System.nanoTime();
      Optional<String> failure = hooks.run(preStop.get(), new Prober.Target(c.id(), podIp, spec.get()), grace);
      failure.ifPresent(f -> events.warning(ref, "FailedPreStopHook", "PreStopHook failed: " + f));
      left = grace.minus(Duration.ofNanos(System.nanoTime() - t0));
      if (left.compareTo(MIN_AFTER_PRESTOP) < 0) {
        left = MIN_AFTER_PRESTOP;
      }
    }
    runtime.stopContainer(c.id(), left);
  }

  /// Stops every live container of the pod and its sandboxes.
  void killPod(PodRef ref, PodManifest spec, PodRuntimeState state, Duration grace) {
    String podIp = state.latestSandbox().map(SandboxStatus::ip).orElse("");
    List<ContainerStatus> live = state.live();
    List<ContainerStatus> sidecars = new ArrayList<>();
    List<ContainerStatus> first = new ArrayList<>();
    for (ContainerStatus c : live) {
      boolean sidecar = spec.initContainers().stream().anyMatch(i -> i.isSidecar() && i.name().equals(c.name()));
      (sidecar ? sidecars : first).add(c);
    }
    List<PeapodException> failures = new ArrayList<>();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> stops = first.stream().<Future<?>>map(c -> ex.submit(() ->
          kill(ref, podIp, specOf(spec, c.name()), c, grace, ""))).toList();
      for (Future<?> f : stops) {
        wait(f, failures);
      }
    }
    sidecars.sort((a, b) -> Integer.compare(index(spec, b.name()), index(spec, a.name())));
    for (ContainerStatus c : sidecars) {
      try {
        kill(ref, podIp, specOf(spec, c.name()), c, grace, "");
      } catch (PeapodException e) {
        failures.add(e);
      }
    }
    for (SandboxStatus s : state.sandboxes()) {
      runtime.stopPodSandbox(s.id());
    }
    if (!failures.isEmpty()) {
      PeapodException e = failures.getFirst();
      failures.subList(1, failures.size()).forEach(e::addSuppressed);
      throw e;
    }
  }

  private static void wait(Future<?> f, List<PeapodException> failures) {
    try {
      f.get();
    } catch (java.util.concurrent.ExecutionException e) {
      failures.add(e.getCause() instanceof PeapodException p ? p
          : new InternalException("stop container: " + e.getCause(), e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Optional<ContainerSpec> specOf(PodManifest spec, String name) {
    return spec.allContainers().stream().filter(c -> c.name().equals(name)).findFirst();
  }

  private static int index(PodManifest spec, String name) {
    return spec.allContainers().stream().map(ContainerSpec::name).toList().indexOf(name);
  }
}
