/// The runtime layer: pod sandboxes and containers, CRI-shaped. [io.peapod.runtime.RuntimeService] is
/// the engine that both the CRI gRPC server and the kubelet layer call; it owns no kubelet behaviour
/// (restarts, probes, volumes), only the lifecycle of sandboxes and containers on this node.
package io.peapod.runtime;
