package io.peapod.runtime.api;

/// A host path bind-mounted into a container (CRI `Mount`).
public record VolumeMount(String containerPath, String hostPath, boolean readOnly) {}
