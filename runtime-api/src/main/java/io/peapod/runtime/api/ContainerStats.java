package io.peapod.runtime.api;

import java.time.Instant;

/// CRI's ContainerStats subset, read from the container's cgroup at `at`: the CPU time its processes
/// used since it started, and its memory working set (usage less inactive file cache, as kubelet counts it).
public record ContainerStats(String containerId, Instant at, long cpuUsageNanos, long memoryWorkingSetBytes) {}
