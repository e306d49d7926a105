package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// Kubernetes' PodStatus, and what peapod shows beside it: kubectl's STATUS column (`display`), READY as
/// `ready`/`total`, restarts and the last one's time, and what `ns` and `describe` need of the sandbox.
public record PodStatus(String phase, Optional<String> reason, Optional<String> message, @KeepEmpty List<PodCondition> conditions,
    String hostIP, String podIP, Optional<Instant> startTime, String qosClass,
    List<ContainerStatus> initContainerStatuses, @KeepEmpty List<ContainerStatus> containerStatuses,
    List<ContainerStatus> ephemeralContainerStatuses, String display, int ready, int total, int restarts,
    Optional<Instant> lastRestart, String nodeName, String sandboxId, int pausePid, String netnsPath,
    boolean shareProcessNamespace, boolean hostNetwork, String logDirectory) {
  public PodStatus {
    conditions = List.copyOf(conditions);
    initContainerStatuses = List.copyOf(initContainerStatuses);
    containerStatuses = List.copyOf(containerStatuses);
    ephemeralContainerStatuses = List.copyOf(ephemeralContainerStatuses);
  }

  /// The status of a container of any kind (init, app, ephemeral) by name.
  public Optional<ContainerStatus> container(String name) {
    return java.util.stream.Stream.of(initContainerStatuses, containerStatuses, ephemeralContainerStatuses)
        .flatMap(List::stream).filter(c -> c.name().equals(name)).findFirst();
  }
}
