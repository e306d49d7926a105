package io.peapod.kubelet.stats;

import io.peapod.base.error.PeapodException;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStats;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// CPU as a rate needs two readings: the sampler reads every running container's cgroup, waits
/// `window`, reads again, and reports millicores over the window and the last memory working set, as
/// metrics-server does over its own window.
public final class UsageSampler {
  /// One container's use.
  public record ContainerUsage(String name, long cpuMilli, long memoryBytes) {}

  /// One pod's use: the sum of its running containers'.
  public record PodUsage(String namespace, String name, List<ContainerUsage> containers) {
    public PodUsage {
      containers = List.copyOf(containers);
    }

    public long cpuMilli() {
      return containers.stream().mapToLong(ContainerUsage::cpuMilli).sum();
    }

    public long memoryBytes() {
      return containers.stream().mapToLong(ContainerUsage::memoryBytes).sum();
    }
  }

  /// A pod to sample, by its uid.
  public record Target(String namespace, String name, String uid) {}

  private final RuntimeService runtime;
  private final Duration window;

  public UsageSampler(RuntimeService runtime, Duration window) {
    this.runtime = runtime;
    this.window = window;
  }

  public List<PodUsage> sample(List<Target> pods) throws InterruptedException {
    Map<String, List<ContainerStatus>> running = new LinkedHashMap<>();
    Map<String, ContainerStats> first = new LinkedHashMap<>();
    for (Target t : pods) {
      List<ContainerStatus> cs = runtime.listPodSandboxes(java.util.Optional.of(t.uid())).stream()
          .flatMap(s -> runtime.listContainers(java.util.Optional.of(s.id())).stream())
          .filter(c -> c.state() == ContainerState.RUNNING).toList();
      running.put(t.uid(), cs);
      cs.forEach(c -> read(c).ifPresent(s -> first.put(c.id(), s)));
    }
    Thread.sleep(window.toMillis());
    List<PodUsage> out = new ArrayList<>();
    for (Target t : pods) {
      List<ContainerUsage> usage = new ArrayList<>();
      for (ContainerStatus c : running.get(t.uid())) {
        ContainerStats a = first.get(c.id());
        var b = read(c);
        if (a == null || b.isEmpty()) {
          continue;
        }
        long nanos = Math.max(1, Duration.between(a.at(), b.get().at()).toNanos());
        long cpu = Math.max(0, (b.get().cpuUsageNanos() - a.cpuUsageNanos()) * 1000 / nanos);
        usage.add(new ContainerUsage(c.name(), cpu, b.get().memoryWorkingSetBytes()));
      }
      out.add(new PodUsage(t.namespace(), t.name(), usage));
    }
    return out;
  }

  /// A container that ended between the listing and the reading has no use to report.
  private java.util.Optional<ContainerStats> read(ContainerStatus c) {
    try {
      return java.util.Optional.of(runtime.containerStats(c.id()));
    } catch (PeapodException gone) {
      return java.util.Optional.empty();
    }
  }
}
