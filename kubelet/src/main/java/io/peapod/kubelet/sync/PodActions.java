package io.peapod.kubelet.sync;

import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.EphemeralContainer;
import io.peapod.kubelet.status.Waiting;
import io.peapod.runtime.api.ContainerStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What one sync of a pod must do, as kubelet's `computePodActions` says it: kill the pod (its sandbox
/// changed, or the pod is done), make a new sandbox, kill containers (a failed liveness probe), start
/// init containers (one at a time; sidecars in order), app containers, and ephemeral containers that
/// have never run (they run once, whatever the state of initialization). Instances created but never
/// started (the daemon died in between) are removed, so they count as neither a run nor a failure.
/// Containers that must wait
/// out a back-off are in `waiting`, and `wakeAt` is when the next sync is due for them.
///
/// @param restartOf for each container to start that ran before, when its last instance finished (the
///     back-off counts from then)
record PodActions(boolean killPod, String killReason, boolean createSandbox, int sandboxAttempt,
    List<ContainerSpec> initToStart, List<ContainerSpec> containersToStart, List<EphemeralContainer> ephemeralToStart,
    List<Kill> containersToKill,
    List<ContainerStatus> unstartedToRemove, Map<String, Waiting> waiting, Map<String, Instant> restartOf, Optional<Instant> wakeAt) {
  PodActions {
    initToStart = List.copyOf(initToStart);
    containersToStart = List.copyOf(containersToStart);
    ephemeralToStart = List.copyOf(ephemeralToStart);
    containersToKill = List.copyOf(containersToKill);
    unstartedToRemove = List.copyOf(unstartedToRemove);
    waiting = Map.copyOf(waiting);
    restartOf = Map.copyOf(restartOf);
  }

  /// A running container to stop, why (for the event), and the grace its probe asks for, if any.
  record Kill(ContainerStatus container, ContainerSpec spec, String message, Optional<Long> graceSeconds) {}

  boolean nothing() {
    return !killPod && !createSandbox && initToStart.isEmpty() && containersToStart.isEmpty() && ephemeralToStart.isEmpty()
        && containersToKill.isEmpty() && unstartedToRemove.isEmpty();
  }
}
