package io.peapod.kubelet.image;

/// A container's `imagePullPolicy`.
public enum PullPolicy {
  /// Ask the registry every time a container is created; a changed tag is pulled again.
  ALWAYS,
  /// Pull only when the store has no image of that name.
  IF_NOT_PRESENT,
  /// Never pull; the image must have been imported or pulled before.
  NEVER;

  /// From the manifest's spelling (`Always`, `IfNotPresent`, `Never`), which the parser has checked.
  public static PullPolicy of(String spec) {
    return switch (spec) {
      case "Always" -> ALWAYS;
      case "IfNotPresent" -> IF_NOT_PRESENT;
      case "Never" -> NEVER;
      default -> throw new IllegalArgumentException("imagePullPolicy " + spec);
    };
  }
}
