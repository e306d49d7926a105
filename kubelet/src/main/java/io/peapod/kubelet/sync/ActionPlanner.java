package io.peapod.kubelet.sync;

import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.Probe;
import io.peapod.kubelet.pod.PodRuntimeState;
import io.peapod.kubelet.podspec.RuntimeConfigs;
import io.peapod.kubelet.probe.ProbeManager;
import io.peapod.kubelet.restart.CrashLoopBackOff;
import io.peapod.kubelet.restart.RestartPolicy;
import io.peapod.kubelet.status.Waiting;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.SandboxStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// kubelet's `computePodActions`, as a function of the pod's spec, what the runtime has, what the
/// probes say and the restart back-offs. It changes nothing; [PodSyncer] carries the actions out.
///
/// - A pod needs a new sandbox when it has none, or its newest one is not ready (its pause died) or
///   lost its IP; the old one and its containers are killed first. Under `restartPolicy: Never` a pod
///   whose containers have run gets no new sandbox: it is done.
/// - Init containers run one at a time, in order, each to success, in the current sandbox; a failed one
///   is restarted (with back-off) unless the policy is Never, which fails the pod. A sidecar (an init
///   container with `restartPolicy: Always`) starts in order and holds the next one until it has
///   started (startup probe passed); it restarts whenever it ends.
/// - App containers start once initialization is done; one that ended is restarted as the policy says,
///   after its back-off; one whose liveness or startup probe failed is killed (and then restarted the
///   same way).
/// - Ephemeral containers start once, when added, and are never restarted.
/// - A pod whose app containers have all ended for good is killed: its sidecars and sandbox stop.
final class ActionPlanner {
  private final ProbeManager probes;
  private final CrashLoopBackOff backOff;

  ActionPlanner(ProbeManager probes, CrashLoopBackOff backOff) {
    this.probes = probes;
    this.backOff = backOff;
  }

  /// Mutable while planning; frozen into [PodActions].
  private static final class Plan {
    boolean killPod;
    String killReason = "";
    boolean createSandbox;
    int sandboxAttempt;
    final List<ContainerSpec> initToStart = new ArrayList<>();
    final List<ContainerSpec> containersToStart = new ArrayList<>();
    final List<PodManifest.EphemeralContainer> ephemeralToStart = new ArrayList<>();
    final List<PodActions.Kill> kills = new ArrayList<>();
    final List<ContainerStatus> unstarted = new ArrayList<>();
    final Map<String, Waiting> waiting = new LinkedHashMap<>();
    final Map<String, Instant> restartOf = new LinkedHashMap<>();
    Optional<Instant> wakeAt = Optional.empty();

    void wake(Instant at) {
      if (wakeAt.isEmpty() || at.isBefore(wakeAt.get())) {
        wakeAt = Optional.of(at);
      }
    }

    PodActions freeze() {
      return new PodActions(killPod, killReason, createSandbox, sandboxAttempt, initToStart, containersToStart,
          ephemeralToStart, kills,
          unstarted, waiting, restartOf, wakeAt);
    }
  }

  PodActions plan(PodManifest spec, String uid, PodRuntimeState state) {
    Plan p = new Plan();
    RestartPolicy policy = RestartPolicy.of(spec.restartPolicy());
    Optional<SandboxStatus> sandbox = state.latestSandbox();
    if (sandbox.isEmpty() || !usable(sandbox.get(), spec)) {
      p.killPod = sandbox.isPresent();
      p.killReason = sandbox.isPresent() ? "Pod sandbox changed, it will be killed and re-created." : "";
      if (policy == RestartPolicy.NEVER && sandbox.isPresent() && !state.containers().isEmpty()) {
        return p.freeze();
      }
      boolean anyToRun = spec.containers().stream().anyMatch(c -> state.latest(c.name())
          .filter(s -> s.state() == ContainerState.EXITED && !policy.restarts(s.exitCode())).isEmpty());
      if (!anyToRun) {
        return p.freeze();
      }
      p.createSandbox = true;
      p.sandboxAttempt = sandbox.map(s -> s.attempt() + 1).orElse(0);
      return p.freeze();
    }
    String sandboxId = sandbox.get().id();
    planEphemeral(p, spec, state, sandboxId);
    boolean initialized = planInit(p, spec, uid, state, sandboxId, policy);
    if (p.killPod) {
      p.ephemeralToStart.clear();
    }
    if (p.killPod || !initialized) {
      return p.freeze();
    }
    int running = planApps(p, spec, uid, state, sandboxId, policy);
    if (running == 0 && p.containersToStart.isEmpty() && p.waiting.isEmpty() && p.kills.isEmpty()) {
      p.killPod = true;
      // A pod whose containers are done is not started again for a debugger.
      p.ephemeralToStart.clear();
    }
    return p.freeze();
  }

  /// A sandbox containers can keep running in: ready, with an IP unless it uses the node's network, and
  /// in the namespaces the spec asks for.
  private static boolean usable(SandboxStatus s, PodManifest spec) {
    boolean nodeNet = s.config().namespaces().network() == NamespaceMode.NODE;
    return s.ready() && (nodeNet || !s.ip().isEmpty()) && nodeNet == spec.hostNetwork();
  }

  /// Plans the init containers; returns whether initialization is complete: every regular init container
  /// succeeded in this sandbox and every sidecar has started, in order. Once an app container has run in
  /// the sandbox, initialization is done for good: a sidecar that ends is only restarted, and holds
  /// nothing up.
  private boolean planInit(Plan p, PodManifest spec, String uid, PodRuntimeState state, String sandboxId,
      RestartPolicy policy) {
    boolean initializedBefore = spec.containers().stream()
        .anyMatch(c -> latestIn(state, sandboxId, c.name()).isPresent());
    for (ContainerSpec c : spec.initContainers()) {
      Optional<ContainerStatus> latest = latestIn(state, sandboxId, c.name());
      if (c.isSidecar()) {
        boolean started = switch (latest.map(ContainerStatus::state).orElse(ContainerState.UNKNOWN)) {
          case RUNNING -> {
            if (specChanged(c, latest.get())) {
              p.kills.add(new PodActions.Kill(latest.get(), c, "Container " + c.name()
                  + " definition changed, will be restarted", Optional.empty()));
              p.initToStart.add(c);
              yield false;
            }
            yield !killForProbe(p, c, latest.get()) && probes.started(latest.get().id());
          }
          case EXITED -> {
            restart(p, uid, podRef(spec), c, latest.get().finishedAt(), true);
            yield false;
          }
          case CREATED, UNKNOWN -> {
            if (latest.isEmpty()) {
              p.initToStart.add(c);
            } else {
              replaceUnstarted(p, uid, spec, c, latest.get(), true);
            }
            yield false;
          }
        };
        if (!started && !initializedBefore) {
          return false;
        }
        continue;
      }
      if (initializedBefore) {
        continue;
      }
      if (latest.isEmpty()) {
        p.initToStart.add(c);
        return false;
      }
      ContainerStatus s = latest.get();
      if (s.state() == ContainerState.RUNNING) {
        return false;
      }
      if (s.state() != ContainerState.EXITED) {
        replaceUnstarted(p, uid, spec, c, s, true);
        return false;
      }
      if (s.exitCode() == 0) {
        continue;
      }
      if (policy == RestartPolicy.NEVER) {
        p.killPod = true;
        p.killReason = "Init container " + c.name() + " failed and the pod's restartPolicy is Never";
        return false;
      }
      restart(p, uid, podRef(spec), c, s.finishedAt(), true);
      return false;
    }
    return true;
  }

  /// An ephemeral container starts once, as soon as it is added; one left created but never started
  /// (the daemon died in between) is made again. It is never restarted.
  private static void planEphemeral(Plan p, PodManifest spec, PodRuntimeState state, String sandboxId) {
    for (PodManifest.EphemeralContainer e : spec.ephemeralContainers()) {
      Optional<ContainerStatus> latest = state.latest(e.container().name());
      if (latest.isEmpty()) {
        p.ephemeralToStart.add(e);
      } else if (latest.get().sandboxId().equals(sandboxId) && (latest.get().state() == ContainerState.CREATED
          || latest.get().state() == ContainerState.UNKNOWN)) {
        p.unstarted.add(latest.get());
        p.ephemeralToStart.add(e);
      }
    }
  }

  /// Plans the app containers; returns how many keep running.
  private int planApps(Plan p, PodManifest spec, String uid, PodRuntimeState state, String sandboxId,
      RestartPolicy policy) {
    int running = 0;
    for (ContainerSpec c : spec.containers()) {
      Optional<ContainerStatus> current = latestIn(state, sandboxId, c.name());
      if (current.isPresent() && current.get().state() == ContainerState.RUNNING) {
        if (specChanged(c, current.get())) {
          // kubelet replaces a container whose spec changed whatever the restart policy says.
          p.kills.add(new PodActions.Kill(current.get(), c, "Container " + c.name()
              + " definition changed, will be restarted", Optional.empty()));
          p.containersToStart.add(c);
        } else if (!killForProbe(p, c, current.get())) {
          running++;
        }
        continue;
      }
      if (current.isPresent() && current.get().state() != ContainerState.EXITED) {
        replaceUnstarted(p, uid, spec, c, current.get(), false);
        continue;
      }
      Optional<ContainerStatus> ended = state.latest(c.name()).filter(s -> s.state() == ContainerState.EXITED);
      if (ended.isEmpty()) {
        restart(p, uid, podRef(spec), c, Optional.empty(), false);
      } else if (policy.restarts(ended.get().exitCode())) {
        restart(p, uid, podRef(spec), c, ended.get().finishedAt(), false);
      }
    }
    return running;
  }

  /// An instance created but never started (the daemon died in between) is replaced by a new one, as
  /// kubelet does with a container left in `created`, whatever the restart policy. It is removed, not
  /// killed: it never ran, so it is no failure for the pod's phase.
  private void replaceUnstarted(Plan p, String uid, PodManifest spec, ContainerSpec c, ContainerStatus s,
      boolean init) {
    p.unstarted.add(s);
    restart(p, uid, podRef(spec), c, Optional.empty(), init);
  }

  /// Adds a start of `c`, or, while its back-off lasts, a CrashLoopBackOff wait.
  private void restart(Plan p, String uid, String podRef, ContainerSpec c, Optional<Instant> finishedAt,
      boolean init) {
    if (finishedAt.isPresent()) {
      Optional<Instant> until = backOff.waitUntil(uid, c.name(), finishedAt.get());
      if (until.isPresent()) {
        Duration delay = backOff.delay(uid, c.name());
        p.waiting.put(c.name(), new Waiting("CrashLoopBackOff", "back-off " + format(delay)
            + " restarting failed container=" + c.name() + " pod=" + podRef + "(" + uid + ")"));
        p.wake(until.get());
        return;
      }
      p.restartOf.put(c.name(), finishedAt.get());
    }
    (init ? p.initToStart : p.containersToStart).add(c);
  }

  /// How kubelet names a pod in messages: `<name>_<namespace>`.
  private static String podRef(PodManifest spec) {
    return spec.name() + "_" + spec.namespace();
  }

  /// Instances made before the hash label existed count as unchanged.
  private static boolean specChanged(ContainerSpec c, ContainerStatus s) {
    String hash = s.labels().get(RuntimeConfigs.CONTAINER_HASH);
    return hash != null && !hash.equals(RuntimeConfigs.hash(c));
  }

  private boolean killForProbe(Plan p, ContainerSpec c, ContainerStatus s) {
    Optional<ProbeManager.Failure> failure = probes.failure(s.id());
    if (failure.isEmpty()) {
      return false;
    }
    Optional<Probe> probe = failure.get().kind() == ProbeManager.Kind.STARTUP ? c.startupProbe() : c.livenessProbe();
    p.kills.add(new PodActions.Kill(s, c, failure.get().message(),
        probe.flatMap(Probe::terminationGracePeriodSeconds)));
    return true;
  }

  private static boolean succeeded(ContainerStatus s) {
    return s.state() == ContainerState.EXITED && s.exitCode() == 0;
  }

  /// The newest instance of a container in the given sandbox.
  private static Optional<ContainerStatus> latestIn(PodRuntimeState state, String sandboxId, String name) {
    return state.instances(name).stream().filter(s -> s.sandboxId().equals(sandboxId)).findFirst();
  }

  /// Go's duration format, as kubelet's messages print it (`10s`, `2m40s`, `5m0s`).
  static String format(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return s == 0 && d.toMillis() > 0 ? d.toMillis() + "ms" : s + "s";
    }
    return s / 60 + "m" + s % 60 + "s";
  }
}
