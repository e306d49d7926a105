package io.peapod.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// Where the runtime keeps things and which programs it uses.
///
/// @param stateRoot durable state (snapshots, pause rootfs), default `/var/lib/peapod`
/// @param runRoot volatile state (bundles, exit files, netns pins, runc state), default `/run/peapod`
/// @param cgroupParent the cgroup every pod nests under, default `peapod`
/// @param ociRuntime `auto`, `runc` or `crun`
/// @param sandboxImage an image to run as the pause container instead of the built-in catatonit rootfs
/// @param logMaxBytes a container log file is rotated when it would grow past this (kubelet's
///     `containerLogMaxSize`, 10 MiB)
/// @param logMaxFiles how many files of one container's log are kept, the live one included
///     (kubelet's `containerLogMaxFiles`, 5)
/// @param sandboxPool how many sandboxes are kept made ahead of demand (0: none)
/// @param poolCgroupParents the cgroup parents pooled sandboxes are made for (the kubelet's QoS classes),
///     the first until a pod asks for another
public record RuntimeConfig(Path stateRoot, Path runRoot, String cgroupParent, String ociRuntime,
    Optional<String> sandboxImage, long logMaxBytes, int logMaxFiles, int sandboxPool,
    List<String> poolCgroupParents) {}
