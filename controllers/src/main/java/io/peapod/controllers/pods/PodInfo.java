package io.peapod.controllers.pods;

import io.peapod.kubelet.manifest.OwnerReference;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/// What a controller needs to know of a pod: identity, labels and annotations, which object controls
/// it, its phase, readiness (and since when), restarts, and whether its deletion has begun.
public record PodInfo(String uid, String namespace, String name, Map<String, String> labels,
    Map<String, String> annotations, Optional<OwnerReference> controller, String phase, boolean ready,
    Optional<Instant> readySince, int restarts, Instant created, boolean deleting) {
  public PodInfo {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }

  public Optional<String> controllerUid() {
    return controller.map(OwnerReference::uid);
  }

  public boolean finished() {
    return succeeded() || failed();
  }

  /// This pod as it is once its deletion was asked for.
  public PodInfo asDeleting() {
    return new PodInfo(uid, namespace, name, labels, annotations, controller, phase, ready, readySince, restarts,
        created, true);
  }

  public boolean succeeded() {
    return phase.equals("Succeeded");
  }

  public boolean failed() {
    return phase.equals("Failed");
  }

  /// Neither finished nor being deleted: a pod that counts toward a controller's replicas.
  public boolean active() {
    return !succeeded() && !failed() && !deleting;
  }

  /// Ready for at least `minReadySeconds` at `now` (what `availableReplicas` counts).
  public boolean available(int minReadySeconds, Instant now) {
    return ready && !deleting && readySince.map(t -> !t.plusSeconds(minReadySeconds).isAfter(now)).orElse(
        minReadySeconds == 0);
  }

  /// When the next ready pod of `pods` becomes available, if one is waiting out `minReadySeconds`.
  public static Optional<java.time.Duration> nextAvailable(java.util.List<PodInfo> pods, int minReadySeconds,
      Instant now) {
    return pods.stream().filter(p -> p.ready() && !p.available(minReadySeconds, now))
        .flatMap(p -> p.readySince().stream())
        .map(t -> java.time.Duration.between(now, t.plusSeconds(minReadySeconds)))
        .min(java.util.Comparator.naturalOrder());
  }
}
