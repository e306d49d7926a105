/// Names of images and blobs: [io.peapod.image.ref.ImageRef] follows the docker/containerd reference
/// rules (`busybox` is `docker.io/library/busybox:latest`), [io.peapod.image.ref.Digest] is
/// `algorithm:hex` as the OCI image spec defines it. Both are valid once constructed.
package io.peapod.image.ref;
