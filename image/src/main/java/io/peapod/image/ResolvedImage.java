package io.peapod.image;

import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.store.ImageRecord;
import java.nio.file.Path;
import java.util.List;

/// An image ready to run: its record, its config, and its unpacked layer directories, lowest first.
public record ResolvedImage(ImageRecord record, ImageConfig config, List<Path> layers) {
  public ResolvedImage {
    layers = List.copyOf(layers);
  }
}
