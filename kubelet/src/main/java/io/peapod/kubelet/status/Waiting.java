package io.peapod.kubelet.status;

/// Why a container waits, in Kubernetes' words: `ContainerCreating`, `PodInitializing`, `ErrImagePull`,
/// `ImagePullBackOff`, `ErrImageNeverPull`, `CreateContainerError`, `CreateContainerConfigError`,
/// `CrashLoopBackOff`; and the message that says more.
public record Waiting(String reason, String message) {}
