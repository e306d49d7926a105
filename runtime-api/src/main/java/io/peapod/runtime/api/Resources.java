package io.peapod.runtime.api;

/// CRI's LinuxContainerResources subset peapod applies: cpu shares, CFS quota/period, memory limit
/// (0 = none) and the oom score the kubelet computes from the pod's QoS class.
public record Resources(long cpuShares, long cpuQuota, long cpuPeriod, long memoryLimitBytes, int oomScoreAdj) {
  public static final Resources NONE = new Resources(0, 0, 0, 0, 0);
}
