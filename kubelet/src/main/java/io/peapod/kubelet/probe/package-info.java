/// Probes, run by the node as kubelet runs them: [io.peapod.kubelet.probe.ProbeManager] keeps a worker per
/// running container and probe (liveness, readiness, startup) with its delays and thresholds, and
/// [io.peapod.kubelet.probe.Prober] runs one check: `exec` through the runtime, `httpGet` and `tcpSocket`
/// from the node into the pod, `grpc` through [io.peapod.kubelet.probe.GrpcHealthClient].
package io.peapod.kubelet.probe;
