package io.peapod.controllers.replicaset;

import io.peapod.controllers.loop.Controller;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadSpec.ReplicaSetSpec;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.Creator;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.PodTemplates;
import io.peapod.controllers.pods.Pods;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Keeps `replicas` active pods: a pod that failed or succeeded is removed and replaced; missing pods
/// are created as `<name>-<5 chars>`; surplus pods are deleted in the order the ReplicaSet controller
/// ranks them (not ready before ready, ready for less time, more restarts, newer first). Status counts
/// `replicas`, `readyReplicas`, `availableReplicas` (ready for `minReadySeconds`) and
/// `terminatingReplicas` (pods deleted but not gone yet, which a `Recreate` rollout waits for).
public final class ReplicaSetController implements Controller {
  private final Creator creator;
  private final WorkloadStore store;
  private final InstantSource clock;

  public ReplicaSetController(Creator creator, WorkloadStore store, InstantSource clock) {
    this.creator = creator;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<Duration> sync(Workload rs) {
    ReplicaSetSpec spec = (ReplicaSetSpec) rs.spec();
    Pods pods = creator.pods();
    List<PodInfo> owned = pods.ownedReplacingFinished(rs);
    List<PodInfo> active = new ArrayList<>(owned.stream().filter(PodInfo::active).toList());
    int terminating = (int) owned.stream().filter(PodInfo::deleting).count();
    int diff = spec.replicas() - active.size();
    for (int i = 0; i < diff; i++) {
      active.add(creator.create(rs, rs.name() + "-", spec.template().raw(), PodTemplates.Extras.NONE));
    }
    if (diff < 0) {
      List<PodInfo> ranked = new ArrayList<>(active);
      ranked.sort(DELETE_FIRST);
      for (PodInfo p : ranked.subList(0, -diff)) {
        pods.delete(p.namespace(), p.name());
        active.remove(p);
        terminating++;
      }
    }
    Instant now = clock.instant();
    int ready = (int) active.stream().filter(PodInfo::ready).count();
    int available = (int) active.stream().filter(p -> p.available(spec.minReadySeconds(), now)).count();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("replicas", active.size());
    status.put("fullyLabeledReplicas", active.size());
    status.put("readyReplicas", ready);
    status.put("availableReplicas", available);
    status.put("terminatingReplicas", terminating);
    status.put("observedGeneration", rs.generation());
    store.updateStatus(rs.uid(), status, Map.of());
    return PodInfo.nextAvailable(active, spec.minReadySeconds(), now);
  }

  /// The ReplicaSet controller's order for scaling down: the pod that costs least to lose first.
  static final Comparator<PodInfo> DELETE_FIRST = Comparator.<PodInfo, Boolean>comparing(PodInfo::ready)
      .thenComparing(p -> p.readySince().orElse(Instant.MAX), Comparator.reverseOrder())
      .thenComparing(PodInfo::restarts, Comparator.reverseOrder())
      .thenComparing(PodInfo::created, Comparator.reverseOrder());
}
