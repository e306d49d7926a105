package io.peapod.controllers.daemonset;

import io.peapod.controllers.deployment.Revisions;
import io.peapod.controllers.loop.Controller;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadSpec.DaemonSetSpec;
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

/// This node is the whole cluster, so a DaemonSet wants one pod, `<name>-<5 chars>`, labelled with the
/// template's `controller-revision-hash`. A pod of an older template is deleted first and its
/// replacement made once it is gone (the rolling update of one node); `OnDelete` waits for the user to
/// delete it.
public final class DaemonSetController implements Controller {
  public static final String REVISION_HASH = "controller-revision-hash";
  private final Creator creator;
  private final WorkloadStore store;
  private final InstantSource clock;

  public DaemonSetController(Creator creator, WorkloadStore store, InstantSource clock) {
    this.creator = creator;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<Duration> sync(Workload ds) {
    DaemonSetSpec spec = (DaemonSetSpec) ds.spec();
    Pods pods = creator.pods();
    String hash = Revisions.hash(spec.template().raw());
    List<PodInfo> running = pods.ownedReplacingFinished(ds).stream().filter(p -> !p.finished()).toList();
    List<PodInfo> active = new ArrayList<>(running.stream().filter(PodInfo::active)
        .sorted(Comparator.comparing(PodInfo::created)).toList());
    while (active.size() > 1) {
      PodInfo extra = active.removeLast();
      pods.delete(extra.namespace(), extra.name());
    }
    if (!spec.onDelete() && !active.isEmpty() && !hash.equals(active.getFirst().labels().get(REVISION_HASH))) {
      PodInfo old = active.removeFirst();
      pods.delete(old.namespace(), old.name());
    } else if (running.isEmpty()) {
      active.add(creator.create(ds, ds.name() + "-", spec.template().raw(), new PodTemplates.Extras(
          Map.of(REVISION_HASH, hash, "pod-template-generation", String.valueOf(ds.generation())), Map.of(),
          Map.of(), "")));
    }
    Instant now = clock.instant();
    int ready = (int) active.stream().filter(PodInfo::ready).count();
    int available = (int) active.stream().filter(p -> p.available(spec.minReadySeconds(), now)).count();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("desiredNumberScheduled", 1);
    status.put("currentNumberScheduled", active.size());
    status.put("numberMisscheduled", 0);
    status.put("numberReady", ready);
    status.put("updatedNumberScheduled", (int) active.stream()
        .filter(p -> hash.equals(p.labels().get(REVISION_HASH))).count());
    status.put("numberAvailable", available);
    status.put("numberUnavailable", 1 - available);
    status.put("observedGeneration", ds.generation());
    store.updateStatus(ds.uid(), status, Map.of());
    return PodInfo.nextAvailable(active, spec.minReadySeconds(), now);
  }
}
