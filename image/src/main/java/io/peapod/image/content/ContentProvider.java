package io.peapod.image.content;

import io.peapod.image.ref.Digest;
import java.io.InputStream;

/// Reads committed blobs.
public interface ContentProvider {
  boolean exists(Digest digest);

  /// Opens a committed blob; throws [io.peapod.base.error.NotFoundException] when absent.
  InputStream open(Digest digest);

  byte[] readAll(Digest digest);

  long size(Digest digest);
}
