package io.peapod.runtime.api;

/// A host device node given to a container (CRI's Device): made at `containerPath` with the host node's
/// type and numbers, and allowed in the container's device cgroup for `permissions` (some of `rwm`).
public record DeviceMapping(String containerPath, String hostPath, String permissions) {}
