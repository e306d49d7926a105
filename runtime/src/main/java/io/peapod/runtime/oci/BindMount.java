package io.peapod.runtime.oci;

/// A bind mount into the container: host `source` at container `destination`.
public record BindMount(String source, String destination, boolean readOnly) {}
