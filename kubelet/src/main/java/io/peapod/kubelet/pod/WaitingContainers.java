package io.peapod.kubelet.pod;

import io.peapod.kubelet.image.ImageOutcome.Waiting;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/// Why each of a pod's not-yet-created containers waits, as the last sync found it. Kept in memory: a
/// restarted daemon syncs every pod at once and so finds the reasons again.
final class WaitingContainers {
  private final ConcurrentHashMap<String, Map<String, Waiting>> byPod = new ConcurrentHashMap<>();

  /// Replaces the pod's waits with `waits` (container name to reason); an empty map clears them.
  void set(String podUid, Map<String, Waiting> waits) {
    if (waits.isEmpty()) {
      byPod.remove(podUid);
    } else {
      byPod.put(podUid, Map.copyOf(waits));
    }
  }

  Optional<Waiting> of(String podUid, String container) {
    return Optional.ofNullable(byPod.getOrDefault(podUid, Map.of()).get(container));
  }

  void forget(String podUid) {
    byPod.remove(podUid);
  }
}
