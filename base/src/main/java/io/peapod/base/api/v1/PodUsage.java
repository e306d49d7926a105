package io.peapod.base.api.v1;

import java.util.List;

/// What a pod's running containers use now, for `top pod`.
public record PodUsage(String namespace, String name, long cpuMilli, long memoryBytes, List<Container> containers) {
  public PodUsage {
    containers = List.copyOf(containers);
  }

  public record Container(String name, long cpuMilli, long memoryBytes) {}
}
