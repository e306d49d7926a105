package io.peapod.image.store;

import io.peapod.image.ref.Digest;
import java.util.Set;

/// What uses images besides their names: the runtime's containers, and the pods whose containers are not
/// made yet. Image garbage collection keeps every manifest listed here, with its config and layers, even
/// after its last name has moved to another image (an `Always` pull of a moved tag, say) while a
/// container still runs the old one; and it keeps the images pods name, so a pod accepted a moment ago
/// does not lose its image to a `prune` before its container exists.
@FunctionalInterface
public interface ImageUsers {
  /// The manifests of the containers that exist, in any state.
  Set<Digest> manifestsInUse();

  /// Image references (`busybox`, `reg/app:v1`) that something is about to run.
  default Set<String> referencesInUse() {
    return Set.of();
  }
}
