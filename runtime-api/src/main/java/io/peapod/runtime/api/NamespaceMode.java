package io.peapod.runtime.api;

/// CRI's NamespaceMode: whose namespace a container uses.
public enum NamespaceMode {
  /// Shared by the pod, held by the sandbox (pause container or netns pin).
  POD,
  /// The container's own.
  CONTAINER,
  /// The node's (hostNetwork, hostPID, hostIPC).
  NODE
}
