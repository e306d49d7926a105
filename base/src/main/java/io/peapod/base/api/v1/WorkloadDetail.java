package io.peapod.base.api.v1;

import io.peapod.base.json.JsonNode;
import java.util.List;

/// A workload as `describe` shows it: the workload, its pods and the workloads it owns (a Deployment's
/// ReplicaSets).
public record WorkloadDetail(String apiVersion, String kind, ObjectMeta metadata, JsonNode spec,
    WorkloadStatus status, List<PodSummary> pods, List<Workload> owns) {
  public WorkloadDetail {
    pods = List.copyOf(pods);
    owns = List.copyOf(owns);
  }

  public static WorkloadDetail of(Workload w, List<PodSummary> pods, List<Workload> owns) {
    return new WorkloadDetail(w.apiVersion(), w.kind(), w.metadata(), w.spec(), w.status(), pods, owns);
  }

  public Workload workload() {
    return new Workload(apiVersion, kind, metadata, spec, status);
  }

  public record PodSummary(String name, String phase, boolean ready, boolean deleting) {}
}
