package io.peapod.runtime;

import java.nio.file.Path;
import java.util.Optional;

/// Where the runtime keeps things and which programs it uses.
///
/// @param stateRoot durable state (snapshots, pause rootfs), default `/var/lib/peapod`
/// @param runRoot volatile state (bundles, exit files, netns pins, runc state), default `/run/peapod`
/// @param cgroupParent the cgroup every pod nests under, default `peapod`
/// @param ociRuntime `auto`, `runc` or `crun`
/// @param sandboxImage an image to run as the pause container instead of the built-in catatonit rootfs
public record RuntimeConfig(Path stateRoot, Path runRoot, String cgroupParent, String ociRuntime,
    Optional<String> sandboxImage) {}
