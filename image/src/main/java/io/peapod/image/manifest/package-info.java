/// The OCI image model as domain records: descriptors, image manifests, image indexes and image
/// configs, and [io.peapod.image.manifest.ManifestJson], the one translator to and from their JSON
/// (OCI image spec v1.1, and Docker schema 2, whose fields are the same under other media types).
package io.peapod.image.manifest;
