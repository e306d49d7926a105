package io.peapod.image.store;

import io.peapod.image.ref.Digest;
import java.util.Set;

/// What uses images besides their names: the runtime's containers. Image garbage collection keeps every
/// manifest listed here, with its config and layers, even after its last name has moved to another
/// image (an `Always` pull of a moved tag, say) while a container still runs the old one.
@FunctionalInterface
public interface ImageUsers {
  /// The manifests of the containers that exist, in any state.
  Set<Digest> manifestsInUse();
}
