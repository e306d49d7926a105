/// Layer unpacking: a layer tar becomes a directory that overlayfs can stack as a lower layer.
///
/// Every entry is resolved inside the layer root without following symlinks; `..`, absolute names,
/// writes through a symlink, symlinks that climb out of the root and hardlinks to outside are refused.
/// OCI whiteouts (`.wh.<name>`, `.wh..wh..opq`) become overlayfs whiteouts (a 0:0 character device,
/// the `trusted.overlay.opaque=y` xattr). See the OCI image spec, "Image Layer Filesystem Changeset".
package io.peapod.image.unpack;
