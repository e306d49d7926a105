package io.peapod.runtime.api;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/// What ContainerStatus reports. `pid` is the container's init process as the host sees it (0 when
/// not running). `labels` and `annotations` are the caller's, as given at creation. Once exited, `reason` is `Completed` (exit 0), `Error`, `OOMKilled`,
/// `ContainerCannotRun` (the OCI runtime could not start the process; exit 128) or
/// `ContainerStatusUnknown` (its monitor died and the container was lost; exit 137). `startedAt` and
/// `finishedAt` come from one clock, so a container never finishes before it started.
public record ContainerStatus(String id, String sandboxId, String name, int attempt, String image, String imageId,
    ContainerState state, Instant createdAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, int exitCode,
    String reason, String message, int pid, String logPath, Map<String, String> labels,
    Map<String, String> annotations) {
  public ContainerStatus {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
  }
}
