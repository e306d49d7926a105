package io.peapod.runtime.api;

/// A host path bind-mounted into a container (CRI `Mount`), with CRI's mount propagation.
public record VolumeMount(String containerPath, String hostPath, boolean readOnly, Propagation propagation) {
  public VolumeMount(String containerPath, String hostPath, boolean readOnly) {
    this(containerPath, hostPath, readOnly, Propagation.PRIVATE);
  }

  /// `PRIVATE` (Kubernetes' None), `HOST_TO_CONTAINER` (rslave) or `BIDIRECTIONAL` (rshared).
  public enum Propagation { PRIVATE, HOST_TO_CONTAINER, BIDIRECTIONAL }
}
