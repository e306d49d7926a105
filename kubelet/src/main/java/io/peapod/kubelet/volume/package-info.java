/// Pod volumes (emptyDir, hostPath) and the per-pod files containers mount (/etc/hosts, termination
/// message files), with paths from manifests resolved safely: [io.peapod.kubelet.volume.VolumeManager]
/// resolves each beneath its volume with openat2, never following a symlink out, and mounts the file it
/// opened, not the path.
package io.peapod.kubelet.volume;
