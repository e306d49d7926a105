package io.peapod.image.content;

import io.peapod.image.ref.Digest;
import java.io.InputStream;
import java.util.Optional;

/// Writes blobs: the bytes are hashed while they stream, and committed only when complete and,
/// if `expected` is given, equal to it.
public interface ContentIngester {
  /// Stores the stream's bytes; returns their digest and size.
  Blob ingest(InputStream in, Optional<Digest> expected);

  /// A committed blob's identity.
  record Blob(Digest digest, long size) {}
}
