/// Brings a container's image into the store as its pull policy says, with kubelet's per-image
/// back-off, and names why a container is still waiting (ErrImagePull, ImagePullBackOff, ErrImageNeverPull).
package io.peapod.kubelet.image;
