package io.peapod.kubelet.manifest;

import java.util.Optional;

/// A container's lifecycle hooks: `postStart` runs right after the container starts (a failure kills
/// it), `preStop` before it is sent SIGTERM, within its grace period.
public record Lifecycle(Optional<Handler> postStart, Optional<Handler> preStop) {
  public static final Lifecycle NONE = new Lifecycle(Optional.empty(), Optional.empty());
}
