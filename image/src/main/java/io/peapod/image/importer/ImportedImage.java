package io.peapod.image.importer;

import io.peapod.image.ref.Digest;
import java.util.List;

/// What an importer produced: a stored manifest and the names the archive gave it.
public record ImportedImage(Digest manifest, Digest config, long size, List<String> names) {
  public ImportedImage {
    names = List.copyOf(names);
  }
}
