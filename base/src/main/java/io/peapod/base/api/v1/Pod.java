package io.peapod.base.api.v1;

import io.peapod.base.json.JsonNode;
import java.util.Optional;

/// A pod as `get pod` returns it: `spec` is the document as applied (free-form), absent once the pod
/// is gone.
public record Pod(String apiVersion, String kind, ObjectMeta metadata, Optional<JsonNode> spec, PodStatus status) {
  public static Pod of(ObjectMeta metadata, Optional<JsonNode> spec, PodStatus status) {
    return new Pod("v1", "Pod", metadata, spec, status);
  }
}
