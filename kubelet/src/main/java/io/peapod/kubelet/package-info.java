/// The kubelet layer: Kubernetes manifests in, runtime calls out, as kubelet does over CRI. It owns
/// what kubelet owns (validation, volumes, QoS and the pod's status view); the runtime below owns
/// sandboxes and containers.
package io.peapod.kubelet;
