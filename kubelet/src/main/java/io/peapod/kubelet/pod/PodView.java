package io.peapod.kubelet.pod;

import io.peapod.kubelet.manifest.OwnerReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A pod as `get` and `describe` show it: Kubernetes' status (phase, conditions, init and app
/// container statuses with their last termination), kubectl's columns (ready, status, restarts, age,
/// IP), and what `ns` needs (pause pid, netns pin). Ephemeral containers count in neither READY nor
/// RESTARTS, as in kubectl.
///
/// @param status kubectl's STATUS column (`Running`, `CrashLoopBackOff`, `Init:1/3`, `Terminating`, ...)
/// @param source `api`, or the manifest file a static pod comes from
public record PodView(String name, String namespace, String uid, Map<String, String> labels,
    Map<String, String> annotations, List<OwnerReference> ownerReferences, String phase, String reason, String message, String status, int ready,
    int total, int restarts, Optional<Instant> lastRestart, Instant created, Optional<Instant> startTime,
    Optional<Instant> deletionTimestamp, String ip, String node, String sandboxId, int pausePid, String netnsPath,
    boolean sharedPid, boolean hostNetwork, String logDirectory, String qosClass, String source,
    List<PodCondition> conditions, List<ContainerView> initContainers, List<ContainerView> containers,
    List<ContainerView> ephemeralContainers) {
  public PodView {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    ownerReferences = List.copyOf(ownerReferences);
    conditions = List.copyOf(conditions);
    initContainers = List.copyOf(initContainers);
    containers = List.copyOf(containers);
    ephemeralContainers = List.copyOf(ephemeralContainers);
  }

  /// The owner that manages this pod, if any.
  public Optional<OwnerReference> controller() {
    return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
  }

  public boolean terminal() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  /// When the pod's Ready condition last became True, if it is True now.
  public Optional<Instant> readySince() {
    return conditions.stream().filter(c -> c.type().equals(PodCondition.READY) && c.status().equals("True"))
        .map(PodCondition::lastTransitionTime).findFirst();
  }

  /// A container's state in Kubernetes' three words.
  public enum State { WAITING, RUNNING, TERMINATED }

  /// How a container instance ended.
  public record Terminated(String containerId, int exitCode, String reason, String message, Optional<Instant> startedAt,
      Optional<Instant> finishedAt, String logPath) {}

  /// `id` is empty while the container is not created yet; `reason` and `message` say why it waits
  /// (`ContainerCreating`, `ErrImagePull`, `CrashLoopBackOff`, ...) or how it ended (`Completed`,
  /// `Error`, `OOMKilled`); `lastState` is the instance before this one, once it has ended.
  public record ContainerView(String name, String id, String image, String imageId, State state, String reason,
      String message, int exitCode, int restartCount, boolean ready, boolean started, boolean sidecar, int pid,
      Optional<Instant> startedAt, Optional<Instant> finishedAt, String logPath, Optional<Terminated> lastState) {}
}
