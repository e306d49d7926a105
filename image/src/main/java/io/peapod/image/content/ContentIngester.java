package io.peapod.image.content;

import io.peapod.image.ref.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/// Writes blobs: the bytes are hashed while they stream, and committed only when complete and,
/// if `expected` is given, equal to it.
public interface ContentIngester {
  /// Stores the stream's bytes; returns their digest and size.
  Blob ingest(InputStream in, Optional<Digest> expected);

  /// Stores the stream's bytes while `reader` consumes the same bytes (to unpack a layer as it
  /// downloads, say). The blob is committed only if `reader` returns normally and the bytes match
  /// `expected`; what `reader` read before a mismatch must be discarded by the caller.
  <T> Tee<T> ingestWhileReading(InputStream in, Digest expected, StreamReader<T> reader);

  /// What [#ingestWhileReading] stored and what its reader returned.
  record Tee<T>(Blob blob, T result) {}

  /// Consumes the bytes being ingested.
  @FunctionalInterface
  interface StreamReader<T> {
    T read(InputStream in) throws IOException;
  }

  /// A committed blob's identity.
  record Blob(Digest digest, long size) {}
}
