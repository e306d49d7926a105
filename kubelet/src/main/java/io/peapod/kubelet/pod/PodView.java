package io.peapod.kubelet.pod;

import io.peapod.runtime.api.ContainerState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// A pod as `get` and `describe` show it: kubectl's columns (ready, status, restarts, age, IP) and,
/// per container, its state, exit and host pid; plus what `ns` needs (pause pid, netns pin).
public record PodView(String name, String namespace, String uid, String phase, String status, int ready, int total,
    int restarts, Instant created, String ip, String node, String sandboxId, int pausePid, String netnsPath,
    boolean sharedPid, boolean hostNetwork, String logDirectory, List<ContainerView> containers) {
  public PodView {
    containers = List.copyOf(containers);
  }

  public record ContainerView(String name, String id, String image, String imageId, ContainerState state,
      String reason, int exitCode, int restartCount, int pid, Optional<Instant> startedAt,
      Optional<Instant> finishedAt, String logPath) {}
}
