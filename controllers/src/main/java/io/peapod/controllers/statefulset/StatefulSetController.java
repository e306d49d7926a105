package io.peapod.controllers.statefulset;

import io.peapod.controllers.daemonset.DaemonSetController;
import io.peapod.controllers.deployment.Revisions;
import io.peapod.controllers.loop.Controller;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadSpec.StatefulSetSpec;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.PodTemplates;
import io.peapod.controllers.pods.Pods;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/// The StatefulSet controller's ordered pod management. Ordinals `0..replicas-1` each have one pod,
/// `<name>-<ordinal>`, whose hostname is its name. With `OrderedReady` a pod is made only when every
/// lower one is Running and Ready, and pods above `replicas` are removed from the highest down, one at
/// a time, once the others are ready; `Parallel` makes and removes them all at once. A pod that ended
/// is deleted and made again under the same name once it is gone. On a template change
/// (`RollingUpdate`) the highest pod of the old template is deleted, one at a time, after all are ready.
public final class StatefulSetController implements Controller {
  public static final String POD_NAME = "statefulset.kubernetes.io/pod-name";
  public static final String POD_INDEX = "apps.kubernetes.io/pod-index";
  private final Pods pods;
  private final WorkloadStore store;
  private final InstantSource clock;

  public StatefulSetController(Pods pods, WorkloadStore store, InstantSource clock) {
    this.pods = pods;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<Duration> sync(Workload sts) {
    StatefulSetSpec spec = (StatefulSetSpec) sts.spec();
    String revision = sts.name() + "-" + Revisions.hash(spec.template().raw());
    TreeMap<Integer, PodInfo> byOrdinal = new TreeMap<>();
    for (PodInfo p : pods.ownedBy(sts)) {
      ordinal(sts, p).ifPresent(i -> byOrdinal.put(i, p));
    }
    boolean blocked = false;
    for (int i = 0; i < spec.replicas() && !blocked; i++) {
      PodInfo p = byOrdinal.get(i);
      boolean ok;
      if (p == null) {
        if (!pods.exists(sts.namespace(), name(sts, i))) {
          byOrdinal.put(i, create(sts, spec, i, revision));
        }
        ok = false;
      } else if (p.deleting()) {
        ok = false;
      } else if (p.finished()) {
        pods.delete(p.namespace(), p.name());
        ok = false;
      } else {
        ok = p.ready();
      }
      blocked = !ok && !spec.parallel();
    }
    List<PodInfo> condemned = new ArrayList<>(byOrdinal.tailMap(spec.replicas(), true).descendingMap().values());
    if (!condemned.isEmpty()) {
      if (spec.parallel()) {
        condemned.stream().filter(p -> !p.deleting()).forEach(p -> pods.delete(p.namespace(), p.name()));
      } else if (!blocked && condemned.stream().noneMatch(PodInfo::deleting)) {
        pods.delete(condemned.getFirst().namespace(), condemned.getFirst().name());
      }
    } else if (!spec.onDelete() && byOrdinal.size() == spec.replicas()
        && byOrdinal.values().stream().allMatch(p -> p.ready() && !p.deleting())) {
      byOrdinal.descendingMap().values().stream().filter(p -> !revision.equals(p.labels().get(
          DaemonSetController.REVISION_HASH))).findFirst().ifPresent(p -> pods.delete(p.namespace(), p.name()));
    }
    return publish(sts, spec, byOrdinal, revision);
  }

  private PodInfo create(Workload sts, StatefulSetSpec spec, int ordinal, String revision) {
    String name = name(sts, ordinal);
    Map<String, String> labels = Map.of(POD_NAME, name, POD_INDEX, String.valueOf(ordinal),
        DaemonSetController.REVISION_HASH, revision);
    return pods.create(PodTemplates.pod(sts, spec.template().raw(), name, new PodTemplates.Extras(labels, Map.of(),
        Map.of(), name)));
  }

  private static String name(Workload sts, int ordinal) {
    return sts.name() + "-" + ordinal;
  }

  private static Optional<Integer> ordinal(Workload sts, PodInfo p) {
    String prefix = sts.name() + "-";
    String rest = p.name().startsWith(prefix) ? p.name().substring(prefix.length()) : "";
    return rest.matches("0|[1-9]\\d{0,8}") ? Optional.of(Integer.parseInt(rest)) : Optional.empty();
  }

  private Optional<Duration> publish(Workload sts, StatefulSetSpec spec, TreeMap<Integer, PodInfo> byOrdinal,
      String revision) {
    Instant now = clock.instant();
    List<PodInfo> active = byOrdinal.values().stream().filter(PodInfo::active).toList();
    int updated = (int) active.stream().filter(p -> revision.equals(p.labels().get(
        DaemonSetController.REVISION_HASH))).count();
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", sts.generation());
    status.put("replicas", active.size());
    status.put("readyReplicas", (int) active.stream().filter(PodInfo::ready).count());
    status.put("availableReplicas", (int) active.stream().filter(p -> p.available(spec.minReadySeconds(), now))
        .count());
    status.put("updatedReplicas", updated);
    boolean done = updated == spec.replicas() && active.size() == spec.replicas();
    String current = done ? revision : String.valueOf(sts.status().getOrDefault("currentRevision", revision));
    status.put("currentReplicas", done ? updated : active.size() - updated);
    status.put("currentRevision", current);
    status.put("updateRevision", revision);
    store.updateStatus(sts.uid(), status, Map.of());
    return PodInfo.nextAvailable(active, spec.minReadySeconds(), now);
  }
}
