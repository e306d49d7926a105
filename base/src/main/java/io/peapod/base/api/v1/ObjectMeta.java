package io.peapod.base.api.v1;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// An object's identity: `generation` is a workload's; a pod has none.
public record ObjectMeta(String name, String namespace, String uid, Optional<Long> generation,
    Optional<Instant> creationTimestamp, Optional<Instant> deletionTimestamp, Map<String, String> labels,
    Map<String, String> annotations, List<OwnerReference> ownerReferences) {
  public ObjectMeta {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    ownerReferences = List.copyOf(ownerReferences);
  }

  /// The owner marked as this object's controller, if any.
  public Optional<OwnerReference> controller() {
    return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
  }
}
