package io.peapod.runtime.api;

/// Which namespaces a pod's containers share. Kubernetes' defaults: network and IPC per pod, PID per
/// container unless `shareProcessNamespace` (then POD), any of them NODE for the host* fields.
public record NamespaceOptions(NamespaceMode network, NamespaceMode pid, NamespaceMode ipc) {
  public static final NamespaceOptions DEFAULT =
      new NamespaceOptions(NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD);
}
