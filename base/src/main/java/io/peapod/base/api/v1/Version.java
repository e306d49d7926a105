package io.peapod.base.api.v1;

/// The daemon's version, the OCI runtime it chose and why, and the host's cgroup layout.
public record Version(String version, String ociRuntime, String ociRuntimeReason, String cgroups, String stateRoot) {}
