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
