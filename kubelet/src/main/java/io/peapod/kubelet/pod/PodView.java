package io.peapod.kubelet.pod;

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

  /// A container's state in Kubernetes' three words.
  public enum State { WAITING, RUNNING, TERMINATED }

  /// `id` is empty while the container is not created yet; `reason` and `message` say why it waits
  /// (`ContainerCreating`, `ErrImagePull`, ...) or how it ended (`Completed`, `Error`).
  public record ContainerView(String name, String id, String image, String imageId, State state, String reason,
      String message, int exitCode, int restartCount, int pid, Optional<Instant> startedAt,
      Optional<Instant> finishedAt, String logPath) {}
}
