package io.peapod.base.api.v1;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// An object's identity: `generation` is a workload's; a pod has none.
public record ObjectMeta(String name, String namespace, String uid, Optional<Long> generation,
    Optional<Instant> creationTimestamp, Optional<Instant> deletionTimestamp, Map<String, String> labels,
    Map<String, String> annotations, List<OwnerReference> ownerReferences) {
  public ObjectMeta {
    // In the order given (the manifest's), as `-o yaml` prints them.
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    ownerReferences = List.copyOf(ownerReferences);
  }

  /// The owner marked as this object's controller, if any.
  public Optional<OwnerReference> controller() {
    return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
  }
}
