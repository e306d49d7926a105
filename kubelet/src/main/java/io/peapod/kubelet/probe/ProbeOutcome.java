package io.peapod.kubelet.probe;

/// The result of running a probe or a hook once: success, or failure with what was seen.
public record ProbeOutcome(boolean success, String message) {
  public static final ProbeOutcome OK = new ProbeOutcome(true, "");

  public static ProbeOutcome failure(String message) {
    return new ProbeOutcome(false, message);
  }
}
