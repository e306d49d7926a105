package io.peapod.kubelet.podspec;

import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.runtime.api.Resources;

/// Kubelet's translation of requests and limits into cgroup settings and an oom score by QoS class
/// (Guaranteed -997, BestEffort 1000, Burstable in between by memory request), as in
/// `pkg/kubelet/qos` and `cm/helpers_linux.go`.
public final class PodResources {
  private static final long MIN_SHARES = 2;
  private static final long PERIOD = 100_000;

  private PodResources() {}

  public enum Qos { GUARANTEED, BURSTABLE, BEST_EFFORT }

  public static Qos qos(PodManifest pod) {
    boolean any = false;
    boolean guaranteed = true;
    for (ContainerSpec c : pod.allContainers()) {
      any |= c.cpuRequestMilli() > 0 || c.memoryRequestBytes() > 0 || c.cpuLimitMilli() > 0 || c.memoryLimitBytes() > 0;
      guaranteed &= c.cpuLimitMilli() > 0 && c.memoryLimitBytes() > 0 && c.cpuLimitMilli() == c.cpuRequestMilli()
          && c.memoryLimitBytes() == c.memoryRequestBytes();
    }
    return !any ? Qos.BEST_EFFORT : guaranteed ? Qos.GUARANTEED : Qos.BURSTABLE;
  }

  /// The QoS cgroup a pod of this class goes in below the runtime's cgroup parent, as kubelet's
  /// cgroupfs driver names them.
  public static String cgroupParent(Qos qos) {
    return switch (qos) {
      case GUARANTEED -> "kubepods";
      case BURSTABLE -> "kubepods/burstable";
      case BEST_EFFORT -> "kubepods/besteffort";
    };
  }

  /// The pod cgroup's limits, as kubelet's `ResourceConfigForPod`: cpu shares from the pod's requests,
  /// and a cpu quota or memory limit only when every container has that limit. What the pod needs of
  /// each is the larger of its largest init container and the sum of the rest (sidecars run throughout).
  public static Resources pod(PodManifest pod) {
    if (qos(pod) == Qos.BEST_EFFORT) {
      return new Resources(MIN_SHARES, 0, 0, 0, 0);
    }
    long cpuRequest = effective(pod, ContainerSpec::cpuRequestMilli);
    boolean allCpu = pod.allContainers().stream().allMatch(c -> c.cpuLimitMilli() > 0);
    boolean allMemory = pod.allContainers().stream().allMatch(c -> c.memoryLimitBytes() > 0);
    long quota = allCpu ? Math.max(1000, effective(pod, ContainerSpec::cpuLimitMilli) * PERIOD / 1000) : 0;
    return new Resources(Math.max(MIN_SHARES, cpuRequest * 1024 / 1000), quota, quota > 0 ? PERIOD : 0,
        allMemory ? effective(pod, ContainerSpec::memoryLimitBytes) : 0, 0);
  }

  private static long effective(PodManifest pod, java.util.function.ToLongFunction<ContainerSpec> value) {
    long running = pod.containers().stream().mapToLong(value).sum()
        + pod.initContainers().stream().filter(ContainerSpec::isSidecar).mapToLong(value).sum();
    long init = pod.initContainers().stream().filter(c -> !c.isSidecar()).mapToLong(value).max().orElse(0);
    return Math.max(running, init);
  }

  public static Resources of(PodManifest pod, ContainerSpec c, long nodeMemoryBytes) {
    long shares = c.cpuRequestMilli() > 0 ? Math.max(MIN_SHARES, c.cpuRequestMilli() * 1024 / 1000) : MIN_SHARES;
    long quota = c.cpuLimitMilli() > 0 ? Math.max(1000, c.cpuLimitMilli() * PERIOD / 1000) : 0;
    int oom = switch (qos(pod)) {
      case GUARANTEED -> -997;
      case BEST_EFFORT -> 1000;
      case BURSTABLE -> {
        long adj = 1000 - (1000 * c.memoryRequestBytes()) / Math.max(1, nodeMemoryBytes);
        yield (int) Math.min(999, Math.max(2, adj));
      }
    };
    return new Resources(shares, quota, quota > 0 ? PERIOD : 0, c.memoryLimitBytes(), oom);
  }
}
