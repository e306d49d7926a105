/// Kubernetes manifests: YAML documents (Pod, and the pod template of Job and Deployment) parsed into
/// [io.peapod.kubelet.manifest.PodManifest] records, validated as the API server would (DNS names,
/// paths, quantities), with unknown fields reported as warnings the way kubectl does.
package io.peapod.kubelet.manifest;
