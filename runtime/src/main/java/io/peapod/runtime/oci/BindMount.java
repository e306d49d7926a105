package io.peapod.runtime.oci;

/// A bind mount into the container: host `source` at container `destination`; `propagation` is the
/// OCI option (`rprivate`, `rslave` or `rshared`).
public record BindMount(String source, String destination, boolean readOnly, String propagation) {
  public BindMount(String source, String destination, boolean readOnly) {
    this(source, destination, readOnly, "rprivate");
  }
}
