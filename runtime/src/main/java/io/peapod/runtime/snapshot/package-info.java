/// Container root filesystems on overlayfs. A container's snapshot is `<state>/snapshots/<id>/` with
/// `upper/` (its writes) and `work/` (overlayfs scratch); its lower layers are the image's unpacked
/// layers, shared read-only. [io.peapod.runtime.snapshot.OverlaySnapshotter] describes the mount as a
/// [io.peapod.sys.Mount] and never mounts itself; [io.peapod.runtime.snapshot.RootMounter] decides where it is
/// mounted, and [io.peapod.runtime.snapshot.MergedLayers] reads an image's files without a mount.
package io.peapod.runtime.snapshot;
