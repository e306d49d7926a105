/// Importers that put images into the local store without a registry: `docker save` archives, OCI
/// image layout archives, and a root filesystem (a directory or a tar) made into a one-layer image
/// with Dockerfile-style `--change` instructions, as `podman import` does.
package io.peapod.image.importer;
