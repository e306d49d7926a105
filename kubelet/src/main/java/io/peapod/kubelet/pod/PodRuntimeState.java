package io.peapod.kubelet.pod;

import io.peapod.runtime.api.ContainerState;
import io.peapod.runtime.api.ContainerStatus;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/// What the runtime has of one pod at one moment (kubelet's `PodStatus` from the runtime): its
/// sandboxes, oldest first, and the containers of all of them. Read by the pod's uid, never by
/// scanning every pod.
public record PodRuntimeState(List<SandboxStatus> sandboxes, List<ContainerStatus> containers) {
  public PodRuntimeState {
    sandboxes = List.copyOf(sandboxes);
    containers = List.copyOf(containers);
  }

  public static PodRuntimeState read(RuntimeService runtime, String podUid) {
    List<SandboxStatus> sandboxes = runtime.listPodSandboxes(Optional.of(podUid));
    List<ContainerStatus> containers = new ArrayList<>();
    for (SandboxStatus s : sandboxes) {
      containers.addAll(runtime.listContainers(Optional.of(s.id())));
    }
    return new PodRuntimeState(sandboxes, containers);
  }

  /// The newest sandbox (the one containers run in).
  public Optional<SandboxStatus> latestSandbox() {
    return sandboxes.stream().max(Comparator.comparingInt(SandboxStatus::attempt)
        .thenComparing(SandboxStatus::createdAt));
  }

  /// Every instance of the named container, newest first (highest attempt).
  public List<ContainerStatus> instances(String name) {
    return containers.stream().filter(c -> c.name().equals(name))
        .sorted(Comparator.comparingInt(ContainerStatus::attempt).thenComparing(ContainerStatus::createdAt).reversed())
        .toList();
  }

  public Optional<ContainerStatus> latest(String name) {
    return instances(name).stream().findFirst();
  }

  public List<ContainerStatus> running() {
    return containers.stream().filter(c -> c.state() == ContainerState.RUNNING).toList();
  }

  /// Containers whose process is there (running, or created and not started).
  public List<ContainerStatus> live() {
    return containers.stream().filter(c -> c.state() == ContainerState.RUNNING || c.state() == ContainerState.CREATED)
        .toList();
  }
}
