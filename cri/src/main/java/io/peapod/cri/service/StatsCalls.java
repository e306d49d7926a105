package io.peapod.cri.service;

import io.peapod.cri.mapping.Filters;
import io.peapod.cri.mapping.Stats;
import io.peapod.cri.v1.ContainerStats;
import io.peapod.cri.v1.ContainerStatsFilter;
import io.peapod.cri.v1.PodSandboxStats;
import io.peapod.cri.v1.PodSandboxStatsFilter;
import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.util.List;
import java.util.Optional;

/// The stats RPCs, from the containers' cgroups. Only running containers have a cgroup to read; a
/// container that exits between listing and reading is left out, not an error.
final class StatsCalls {
  private final RuntimeService runtime;
  private final Ids ids;

  StatsCalls(RuntimeService runtime, Ids ids) {
    this.runtime = runtime;
    this.ids = ids;
  }

  ContainerStats container(String id) {
    ContainerStatus c = ids.container(id);
    return Stats.container(c, runtime.containerStats(c.id()));
  }

  List<ContainerStats> containers(ContainerStatsFilter f) {
    return read(runtime.listContainers(Optional.empty()).stream().filter(Filters.containers(f)).toList());
  }

  PodSandboxStats sandbox(String id) {
    SandboxStatus s = ids.sandbox(id);
    return Stats.sandbox(s, read(runtime.listContainers(Optional.of(s.id()))));
  }

  List<PodSandboxStats> sandboxes(PodSandboxStatsFilter f) {
    return runtime.listPodSandboxes(Optional.empty()).stream().filter(Filters.sandboxes(f))
        .map(s -> Stats.sandbox(s, read(runtime.listContainers(Optional.of(s.id()))))).toList();
  }

  private List<ContainerStats> read(List<ContainerStatus> containers) {
    return containers.stream().filter(c -> c.state() == ContainerState.RUNNING).flatMap(c -> {
      try {
        return java.util.stream.Stream.of(Stats.container(c, runtime.containerStats(c.id())));
      } catch (io.peapod.base.error.NotFoundException gone) {
        return java.util.stream.Stream.empty();
      }
    }).toList();
  }
}
