package io.peapod.kubelet.manifest;

/// A `seccompProfile`: `RuntimeDefault`, `Unconfined`, or `Localhost` with a profile file named relative to
/// the daemon's seccomp profile directory (`localhostProfile` is empty for the other two).
public record Seccomp(String type, String localhostProfile) {
  public static final Seccomp RUNTIME_DEFAULT = new Seccomp("RuntimeDefault", "");
  public static final Seccomp UNCONFINED = new Seccomp("Unconfined", "");
}
