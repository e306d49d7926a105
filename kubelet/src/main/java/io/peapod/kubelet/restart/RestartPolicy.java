package io.peapod.kubelet.restart;

/// A pod's `restartPolicy` as kubelet applies it to each container: whether a container that ended
/// with `exitCode` is started again.
public enum RestartPolicy {
  ALWAYS,
  ON_FAILURE,
  NEVER;

  /// From the manifest's spelling, which the parser has checked.
  public static RestartPolicy of(String spec) {
    return switch (spec) {
      case "Always" -> ALWAYS;
      case "OnFailure" -> ON_FAILURE;
      case "Never" -> NEVER;
      default -> throw new IllegalArgumentException("restartPolicy " + spec);
    };
  }

  public boolean restarts(int exitCode) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_FAILURE -> exitCode != 0;
      case NEVER -> false;
    };
  }
}
