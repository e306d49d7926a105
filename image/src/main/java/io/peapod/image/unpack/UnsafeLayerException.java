package io.peapod.image.unpack;

import io.peapod.base.error.InvalidArgumentException;

/// Builds the error for a layer entry that would escape the layer root.
final class UnsafeLayerException {
  private UnsafeLayerException() {}

  static InvalidArgumentException of(String entry, String why) {
    return new InvalidArgumentException("unsafe layer entry '" + entry + "': " + why
        + "; the layer was refused and nothing was unpacked");
  }
}
