package io.peapod.runtime.api;

import java.time.Instant;

/// One lifecycle event (CRI's ContainerEventResponse). For a sandbox's own events `containerId` is
/// the sandbox id. `podUid` lets a listener route the event to its pod without a lookup.
public record ContainerEvent(Type type, String containerId, String sandboxId, String podUid, Instant at) {
  public enum Type { CREATED, STARTED, STOPPED, DELETED }

  public boolean isSandbox() {
    return containerId.equals(sandboxId);
  }
}
