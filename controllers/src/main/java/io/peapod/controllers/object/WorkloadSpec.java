package io.peapod.controllers.object;

import io.peapod.base.labels.LabelSelector;
import io.peapod.kubelet.manifest.PodManifest;
import java.util.Map;
import java.util.Optional;

/// The validated spec of a workload, one record per kind. Every kind but Job selects its pods with a
/// label selector that its template's labels must match, as the API server requires.
public sealed interface WorkloadSpec {
  PodTemplate template();

  /// `spec.template`: the raw object (copied into each pod), its labels, and the pod it validates to.
  record PodTemplate(Map<String, Object> raw, Map<String, String> labels, PodManifest pod) {
    public PodTemplate {
      raw = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(raw));
      labels = Map.copyOf(labels);
    }
  }

  /// A whole number or a percentage of a total (`maxSurge: 25%`).
  record IntOrPercent(int value, boolean percent) {
    /// The value against `total`, rounding a percentage up or down as the field asks.
    public int of(int total, boolean roundUp) {
      if (!percent) {
        return value;
      }
      return roundUp ? (int) Math.ceil(total * value / 100.0) : (int) Math.floor(total * value / 100.0);
    }

    @Override
    public String toString() {
      return value + (percent ? "%" : "");
    }
  }

  /// `completions` absent means a work queue: done once one pod succeeded and none is left running.
  record JobSpec(PodTemplate template, Optional<Integer> completions, int parallelism, int backoffLimit,
      Optional<Long> activeDeadlineSeconds, Optional<Long> ttlSecondsAfterFinished, boolean indexed,
      boolean suspend) implements WorkloadSpec {}

  record ReplicaSetSpec(int replicas, LabelSelector selector, PodTemplate template, int minReadySeconds)
      implements WorkloadSpec {}

  /// `recreate` or a rolling update bounded by `maxSurge` and `maxUnavailable`.
  record DeploymentSpec(int replicas, LabelSelector selector, PodTemplate template, boolean recreate,
      IntOrPercent maxSurge, IntOrPercent maxUnavailable, int minReadySeconds, int revisionHistoryLimit,
      boolean paused) implements WorkloadSpec {}

  /// One pod on this one node; `onDelete` waits for the user to delete an outdated pod.
  record DaemonSetSpec(LabelSelector selector, PodTemplate template, boolean onDelete, int minReadySeconds)
      implements WorkloadSpec {}

  /// Pods `<name>-0..replicas-1`: one at a time (`OrderedReady`) or all at once (`Parallel`); a template
  /// change replaces pods one at a time from the highest ordinal down, unless `onDelete`.
  record StatefulSetSpec(int replicas, LabelSelector selector, PodTemplate template, String serviceName,
      boolean parallel, boolean onDelete, int minReadySeconds) implements WorkloadSpec {}
}
