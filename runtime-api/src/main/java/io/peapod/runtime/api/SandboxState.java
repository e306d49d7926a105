package io.peapod.runtime.api;

/// CRI's PodSandboxState: READY while the pause container runs and the network is set up;
/// NOTREADY once StopPodSandbox (or the pause process's death) has torn it down.
public enum SandboxState {
  READY,
  NOTREADY
}
