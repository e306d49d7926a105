package io.peapod.image.content;

import io.peapod.image.ref.Digest;
import java.io.InputStream;

/// Reads committed blobs.
public interface ContentProvider {
  boolean exists(Digest digest);

  /// Opens a committed blob; throws [io.peapod.base.error.NotFoundException] when absent.
  InputStream open(Digest digest);

  /// A JSON document's bytes (manifest, index, config): at most [#MAX_DOCUMENT_BYTES], so that a blob an
  /// image names as its config cannot fill the daemon's heap.
  byte[] readAll(Digest digest);

  /// The distribution spec's limit for a manifest, for every document read whole.
  int MAX_DOCUMENT_BYTES = 4 << 20;

  long size(Digest digest);
}
