package io.peapod.base.api.v1;

import java.util.Optional;

/// One container's status: `containerID` is `peapod://<id>` (empty before it is made), `pid` its host
/// pid while it runs, `restartPolicy` `Always` for a sidecar.
public record ContainerStatus(String name, String containerID, String image, String imageID, boolean ready,
    boolean started, int restartCount, int pid, ContainerState state, Optional<LastState> lastState,
    Optional<String> restartPolicy, String logPath) {
  /// The instance before this one, once it ended.
  public record LastState(ContainerState.Terminated terminated) {}
}
