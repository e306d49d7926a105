package io.peapod.base.api.v1;

import io.peapod.base.json.JsonNode;
import io.peapod.base.json.JsonRecords;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/// The status fields of every workload kind peapod runs, each named as its kind names it and present
/// only for the kinds that have it: replica counts (Deployment, ReplicaSet, StatefulSet), scheduled
/// counts (DaemonSet), pod outcomes (Job), revisions, and conditions.
public record WorkloadStatus(Optional<Long> observedGeneration, Optional<Integer> replicas,
    Optional<Integer> readyReplicas, Optional<Integer> availableReplicas, Optional<Integer> updatedReplicas,
    Optional<Integer> unavailableReplicas, Optional<Integer> currentReplicas, Optional<Integer> fullyLabeledReplicas,
    Optional<Integer> terminatingReplicas, Optional<Integer> desiredNumberScheduled,
    Optional<Integer> currentNumberScheduled, Optional<Integer> numberMisscheduled, Optional<Integer> numberReady,
    Optional<Integer> updatedNumberScheduled, Optional<Integer> numberAvailable, Optional<Integer> numberUnavailable,
    Optional<Integer> active, Optional<Integer> ready, Optional<Integer> succeeded, Optional<Integer> failed,
    Optional<Integer> terminating, Optional<String> completedIndexes, Optional<Instant> startTime,
    Optional<Instant> completionTime, Optional<String> currentRevision, Optional<String> updateRevision,
    Optional<String> revision, List<Condition> conditions) {
  public WorkloadStatus {
    conditions = List.copyOf(conditions);
  }

  public static final WorkloadStatus EMPTY = JsonRecords.read(JsonNode.MISSING, WorkloadStatus.class);

  /// A condition of a workload (`Available`, `Progressing`, `Complete`, `Failed`, ...).
  public record Condition(String type, String status, Optional<Instant> lastTransitionTime,
      Optional<Instant> lastUpdateTime, String reason, String message) {}

  /// Whether the condition of that type is True.
  public boolean isTrue(String type) {
    return conditions.stream().anyMatch(c -> c.type().equals(type) && c.status().equals("True"));
  }
}
