package io.peapod.base.api.v1;

import java.time.Instant;
import java.util.Optional;

/// Exactly one of `running`, `waiting` and `terminated` is present, as in Kubernetes.
public record ContainerState(Optional<Running> running, Optional<Waiting> waiting, Optional<Terminated> terminated) {
  public record Running(Optional<Instant> startedAt) {}

  public record Waiting(String reason, Optional<String> message) {}

  public record Terminated(int exitCode, String reason, Optional<String> message, Optional<Instant> startedAt,
      Optional<Instant> finishedAt, String containerID, String logPath) {}

  public static ContainerState running(Optional<Instant> startedAt) {
    return new ContainerState(Optional.of(new Running(startedAt)), Optional.empty(), Optional.empty());
  }

  public static ContainerState waiting(String reason, Optional<String> message) {
    return new ContainerState(Optional.empty(), Optional.of(new Waiting(reason, message)), Optional.empty());
  }

  public static ContainerState terminated(Terminated t) {
    return new ContainerState(Optional.empty(), Optional.empty(), Optional.of(t));
  }
}
