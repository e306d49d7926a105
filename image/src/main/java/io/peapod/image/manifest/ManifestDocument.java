package io.peapod.image.manifest;

import java.util.List;

/// What a manifest digest can name: one image, or an index of images per platform.
public sealed interface ManifestDocument {
  record Image(String mediaType, Descriptor config, List<Descriptor> layers) implements ManifestDocument {
    public Image {
      layers = List.copyOf(layers);
    }
  }

  record Index(String mediaType, List<Descriptor> manifests) implements ManifestDocument {
    public Index {
      manifests = List.copyOf(manifests);
    }
  }
}
