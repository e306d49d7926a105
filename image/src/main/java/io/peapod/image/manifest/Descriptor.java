package io.peapod.image.manifest;

import io.peapod.image.ref.Digest;
import java.util.Map;
import java.util.Optional;

/// An OCI content descriptor: what a blob is, its digest and size, and for index entries the platform.
public record Descriptor(String mediaType, Digest digest, long size, Map<String, String> annotations,
    Optional<Platform> platform) {
  public Descriptor {
    annotations = Map.copyOf(annotations);
  }

  public static Descriptor of(String mediaType, Digest digest, long size) {
    return new Descriptor(mediaType, digest, size, Map.of(), Optional.empty());
  }
}
