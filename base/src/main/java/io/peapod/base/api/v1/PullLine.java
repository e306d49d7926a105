package io.peapod.base.api.v1;

import java.util.Optional;

/// One line of a streamed pull: progress of a layer, the image once it is stored, or the error that
/// ended the pull.
public record PullLine(Optional<Progress> progress, Optional<Image> image, Optional<Failure> error) {
  /// `status`: resolving, downloading, exists, done, or a failure on one registry; bytes so far of `total`.
  public record Progress(String layer, String status, long current, long total) {}

  public record Failure(String code, String message) {}
}
