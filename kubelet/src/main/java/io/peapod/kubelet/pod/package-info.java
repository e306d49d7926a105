/// Pods on this node: [io.peapod.kubelet.pod.PodManager] creates a pod's sandbox and containers
/// (containers in parallel), deletes them with a grace period, and reports kubectl-style status.
/// The `pods` table (owner `kubelet`, schema v1) keeps each pod's uid, name, manifest and sandbox id.
package io.peapod.kubelet.pod;
