package io.peapod.kubelet.image;

/// Whether a container's image is ready to run, or why the container waits.
public sealed interface ImageOutcome {
  record Ready(String image) implements ImageOutcome {}

  /// `reason` is Kubernetes' word for it (`ErrImagePull`, `ImagePullBackOff`, `ErrImageNeverPull`);
  /// `message` says what the registry or the store said.
  record Waiting(String reason, String message) implements ImageOutcome {}
}
