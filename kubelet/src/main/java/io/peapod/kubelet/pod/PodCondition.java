package io.peapod.kubelet.pod;

import java.time.Instant;

/// One of a pod's conditions (`PodScheduled`, `PodReadyToStartContainers`, `Initialized`,
/// `ContainersReady`, `Ready`): `status` is `True` or `False`, and `lastTransitionTime` moves only when
/// the status changes.
public record PodCondition(String type, String status, Instant lastTransitionTime, String reason, String message) {
  public static final String SCHEDULED = "PodScheduled";
  public static final String READY_TO_START = "PodReadyToStartContainers";
  public static final String INITIALIZED = "Initialized";
  public static final String CONTAINERS_READY = "ContainersReady";
  public static final String READY = "Ready";

  public boolean isTrue() {
    return status.equals("True");
  }
}
