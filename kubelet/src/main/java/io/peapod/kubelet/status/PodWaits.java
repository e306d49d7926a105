package io.peapod.kubelet.status;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Why each container of each pod waits, as the pod's last sync found it, and what stopped the pod's
/// sandbox from being made (`FailedCreatePodSandBox`). Kept in memory: a restarted daemon syncs every
/// pod at once and so finds the reasons again.
public final class PodWaits {
  private final Map<String, Map<String, Waiting>> containers = new ConcurrentHashMap<>();
  private final Map<String, Waiting> sandboxes = new ConcurrentHashMap<>();

  public void setContainers(String podUid, Map<String, Waiting> waits) {
    if (waits.isEmpty()) {
      containers.remove(podUid);
    } else {
      containers.put(podUid, Map.copyOf(waits));
    }
  }

  /// A new instance of the container is about to be made: what its last sync said it waited for no longer
  /// holds. A pod's status is also built between syncs (`get pod`), from the runtime as it is now, and a
  /// container that ran and ended during the sync would otherwise show the wait it had before. (A run
  /// that fails gives a wait of its own, which the sync sets at its end.)
  public void made(String podUid, String container) {
    containers.computeIfPresent(podUid, (uid, waits) -> {
      Map<String, Waiting> left = new java.util.HashMap<>(waits);
      left.remove(container);
      return left.isEmpty() ? null : Map.copyOf(left);
    });
  }

  public Map<String, Waiting> containers(String podUid) {
    return containers.getOrDefault(podUid, Map.of());
  }

  public void setSandbox(String podUid, Optional<Waiting> why) {
    why.ifPresentOrElse(w -> sandboxes.put(podUid, w), () -> sandboxes.remove(podUid));
  }

  public Optional<Waiting> sandbox(String podUid) {
    return Optional.ofNullable(sandboxes.get(podUid));
  }

  public void forget(String podUid) {
    containers.remove(podUid);
    sandboxes.remove(podUid);
  }
}
