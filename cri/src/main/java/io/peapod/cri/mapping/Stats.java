package io.peapod.cri.mapping;

import io.peapod.cri.v1.ContainerAttributes;
import io.peapod.cri.v1.CpuUsage;
import io.peapod.cri.v1.LinuxPodSandboxStats;
import io.peapod.cri.v1.MemoryUsage;
import io.peapod.cri.v1.PodSandboxAttributes;
import io.peapod.cri.v1.PodSandboxStats;
import io.peapod.cri.v1.UInt64Value;
import io.peapod.runtime.api.ContainerStats;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.SandboxStatus;
import java.time.Instant;
import java.util.List;

/// Cgroup readings as CRI's stats: CPU time used and memory working set, per container and summed per
/// sandbox. Fields peapod does not measure (writable layer, network, process counts) stay unset, so a
/// caller sees them as absent rather than zero.
public final class Stats {
  private Stats() {}

  public static io.peapod.cri.v1.ContainerStats container(ContainerStatus c, ContainerStats s) {
    return io.peapod.cri.v1.ContainerStats.newBuilder()
        .setAttributes(ContainerAttributes.newBuilder().setId(c.id()).setMetadata(Statuses.metadata(c))
            .putAllLabels(c.labels()).putAllAnnotations(c.annotations()))
        .setCpu(cpu(s.at(), s.cpuUsageNanos())).setMemory(memory(s.at(), s.memoryWorkingSetBytes())).build();
  }

  public static PodSandboxStats sandbox(SandboxStatus s, List<io.peapod.cri.v1.ContainerStats> containers) {
    long cpu = containers.stream().mapToLong(c -> c.getCpu().getUsageCoreNanoSeconds().getValue()).sum();
    long memory = containers.stream().mapToLong(c -> c.getMemory().getWorkingSetBytes().getValue()).sum();
    long at = containers.stream().mapToLong(c -> c.getCpu().getTimestamp()).max()
        .orElse(Times.nanos(Instant.now()));
    return PodSandboxStats.newBuilder()
        .setAttributes(PodSandboxAttributes.newBuilder().setId(s.id()).setMetadata(Statuses.metadata(s.config()))
            .putAllLabels(s.config().labels()).putAllAnnotations(s.config().annotations()))
        .setLinux(LinuxPodSandboxStats.newBuilder()
            .setCpu(CpuUsage.newBuilder().setTimestamp(at).setUsageCoreNanoSeconds(u64(cpu)))
            .setMemory(MemoryUsage.newBuilder().setTimestamp(at).setWorkingSetBytes(u64(memory)))
            .addAllContainers(containers))
        .build();
  }

  private static CpuUsage cpu(Instant at, long nanos) {
    return CpuUsage.newBuilder().setTimestamp(Times.nanos(at)).setUsageCoreNanoSeconds(u64(nanos)).build();
  }

  private static MemoryUsage memory(Instant at, long bytes) {
    return MemoryUsage.newBuilder().setTimestamp(Times.nanos(at)).setWorkingSetBytes(u64(bytes)).build();
  }

  private static UInt64Value u64(long v) {
    return UInt64Value.newBuilder().setValue(v).build();
  }
}
