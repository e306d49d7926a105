package io.peapod.kubelet.event;

import java.time.Instant;

/// A Kubernetes event about a pod: `type` Normal or Warning, kubelet's reasons (`Scheduled`,
/// `Pulling`, `Pulled`, `Created`, `Started`, `Killing`, `Unhealthy`, `BackOff`,
/// `FailedCreatePodSandBox`, ...). Repeats of the same reason and message are one event with a count.
public record Event(long id, String namespace, String pod, String podUid, String type, String reason, String message,
    int count, Instant firstSeen, Instant lastSeen) {
  public static final String NORMAL = "Normal";
  public static final String WARNING = "Warning";
}
