package io.peapod.controllers.deployment;

import io.peapod.controllers.loop.Controller;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.ObjectMaps;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadParser;
import io.peapod.controllers.object.WorkloadSpec.DeploymentSpec;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.Pods;
import io.peapod.controllers.status.Conditions;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/// The Deployment controller's rollout, on ReplicaSets it owns. The ReplicaSet whose template is the
/// Deployment's is the new one (made, as `<name>-<pod-template-hash>`, when there is none); the others
/// are old. `Recreate` scales the old ones to zero and waits for their pods to go before scaling the
/// new one up. `RollingUpdate` scales the new one up while all ReplicaSets together stay within
/// `replicas + maxSurge`, and the old ones down while the available pods stay at least
/// `replicas - maxUnavailable`, counting what the ReplicaSets report as available. Old ReplicaSets at
/// zero beyond `revisionHistoryLimit` are deleted. Each sync does one step; the next sync follows from
/// the ReplicaSets' status, so a rollout interrupted by a restart goes on from where it was.
public final class DeploymentController implements Controller {
  private static final Logger LOG = System.getLogger(DeploymentController.class.getName());
  private final WorkloadStore store;
  private final Pods pods;
  private final InstantSource clock;
  private final Consumer<String> enqueue;

  public DeploymentController(WorkloadStore store, Pods pods, InstantSource clock, Consumer<String> enqueue) {
    this.store = store;
    this.pods = pods;
    this.clock = clock;
    this.enqueue = enqueue;
  }

  @Override
  public Optional<Duration> sync(Workload d) {
    DeploymentSpec spec = (DeploymentSpec) d.spec();
    List<Workload> all = new ArrayList<>(store.ownedBy(d).stream()
        .filter(w -> w.kind() == Kind.REPLICA_SET).toList());
    Optional<Workload> current = all.stream().filter(rs -> Revisions.runs(rs, spec.template().raw())).findFirst();
    if (spec.paused()) {
      // A paused Deployment rolls nothing out, but is still scaled, as Kubernetes scales it.
      current.filter(rs -> replicas(rs) != spec.replicas()).ifPresent(rs -> scale(rs, spec.replicas()));
      publish(d, spec, current, all);
      return Optional.empty();
    }
    long maxRevision = all.stream().mapToLong(Revisions::revision).max().orElse(0);
    Workload newRs;
    if (current.isEmpty()) {
      newRs = createReplicaSet(d, spec, maxRevision + 1);
      all.add(newRs);
    } else {
      newRs = current.get();
      if (Revisions.revision(newRs) < maxRevision) {
        newRs = replace(newRs, ObjectMaps.with(newRs.object(), String.valueOf(maxRevision + 1), "metadata",
            "annotations", Revisions.REVISION));
        all.set(indexOf(all, newRs), newRs);
      }
    }
    Workload finalNew = newRs;
    List<Workload> olds = all.stream().filter(rs -> !rs.uid().equals(finalNew.uid())).sorted(OLDEST_FIRST).toList();
    if (spec.recreate()) {
      recreate(spec, newRs, olds);
    } else {
      rollingUpdate(spec, newRs, olds);
    }
    cleanUp(spec, store.ownedBy(d).stream().filter(rs -> !rs.uid().equals(finalNew.uid())
        && rs.kind() == Kind.REPLICA_SET).toList());
    publish(d, spec, store.byUid(newRs.uid()), store.ownedBy(d));
    return Optional.empty();
  }

  private static int indexOf(List<Workload> all, Workload rs) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).uid().equals(rs.uid())) {
        return i;
      }
    }
    throw new IllegalArgumentException("not among the ReplicaSets: " + rs.name());
  }

  private void recreate(DeploymentSpec spec, Workload newRs, List<Workload> olds) {
    boolean oldRunning = false;
    for (Workload old : olds) {
      if (replicas(old) > 0) {
        scale(old, 0);
      }
      oldRunning |= !observed(old) || statusReplicas(old) > 0
          || ObjectMaps.number(old.status(), 0, "terminatingReplicas") > 0;
    }
    if (!oldRunning && replicas(newRs) != spec.replicas()) {
      scale(newRs, spec.replicas());
    }
  }

  private void rollingUpdate(DeploymentSpec spec, Workload newRs, List<Workload> olds) {
    int replicas = spec.replicas();
    int surge = spec.maxSurge().of(replicas, true);
    int maxUnavailable = spec.maxUnavailable().of(replicas, false);
    if (surge == 0 && maxUnavailable == 0) {
      maxUnavailable = 1;
    }
    int newReplicas = replicas(newRs);
    int total = newReplicas + olds.stream().mapToInt(DeploymentController::replicas).sum();
    if (newReplicas > replicas) {
      newReplicas = scale(newRs, replicas);
    } else if (newReplicas < replicas && total < replicas + surge) {
      newReplicas = scale(newRs, Math.min(replicas, newReplicas + replicas + surge - total));
    }
    if (!observed(newRs) || !olds.stream().allMatch(DeploymentController::observed)) {
      // A ReplicaSet's availability is only trusted once it has acted on its latest spec.
      return;
    }
    int minAvailable = replicas - maxUnavailable;
    int allPods = newReplicas + olds.stream().mapToInt(DeploymentController::replicas).sum();
    int newUnavailable = Math.max(0, newReplicas - available(newRs));
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) {
      return;
    }
    // Replicas of old ReplicaSets that are not available anyway go first: removing them costs nothing.
    List<Workload> remaining = new ArrayList<>();
    for (Workload old : olds) {
      int unhealthy = Math.max(0, replicas(old) - available(old));
      int cut = Math.min(unhealthy, maxScaledDown);
      if (cut > 0) {
        old = replace(old, ObjectMaps.with(old.object(), replicas(old) - cut, "spec", "replicas"));
        maxScaledDown -= cut;
      }
      remaining.add(old);
    }
    int availableNow = available(newRs) + remaining.stream().mapToInt(DeploymentController::available).sum();
    int canGo = Math.min(availableNow - minAvailable, maxScaledDown);
    for (Workload old : remaining) {
      if (canGo <= 0) {
        break;
      }
      int cut = Math.min(replicas(old), canGo);
      if (cut > 0) {
        scale(old, replicas(old) - cut);
        canGo -= cut;
      }
    }
  }

  /// Deletes old ReplicaSets scaled to zero (and without pods) beyond the history limit, oldest first.
  private void cleanUp(DeploymentSpec spec, List<Workload> olds) {
    List<Workload> idle = olds.stream().filter(rs -> replicas(rs) == 0 && statusReplicas(rs) == 0
        && pods.ownedBy(rs).isEmpty()).sorted(Comparator.comparingLong(Revisions::revision)).toList();
    for (Workload rs : idle.subList(0, Math.max(0, idle.size() - spec.revisionHistoryLimit()))) {
      LOG.log(Logger.Level.INFO, "deleting {0}: beyond the revision history limit", rs.ref());
      store.delete(rs.uid());
    }
  }

  private Workload createReplicaSet(Workload d, DeploymentSpec spec, long revision) {
    String hash = Revisions.hash(spec.template().raw());
    Map<String, Object> template = ObjectMaps.with(spec.template().raw(), hash, "metadata", "labels",
        Revisions.HASH_LABEL);
    Map<String, Object> selector = ObjectMaps.with(ObjectMaps.map(d.object(), "spec", "selector"), hash,
        "matchLabels", Revisions.HASH_LABEL);
    Map<String, Object> labels = new LinkedHashMap<>(ObjectMaps.map(template, "metadata", "labels"));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", d.name() + "-" + hash);
    meta.put("namespace", d.namespace());
    meta.put("labels", labels);
    meta.put("annotations", Map.of(Revisions.REVISION, String.valueOf(revision)));
    meta.put("ownerReferences", List.of(d.asOwner().toMap()));
    Map<String, Object> rsSpec = new LinkedHashMap<>();
    rsSpec.put("replicas", 0);
    rsSpec.put("selector", selector);
    rsSpec.put("template", template);
    if (spec.minReadySeconds() > 0) {
      rsSpec.put("minReadySeconds", spec.minReadySeconds());
    }
    Map<String, Object> obj = new LinkedHashMap<>();
    obj.put("apiVersion", Kind.REPLICA_SET.apiVersion());
    obj.put("kind", Kind.REPLICA_SET.kindName());
    obj.put("metadata", meta);
    obj.put("spec", rsSpec);
    Optional<Workload> existing = store.find(Kind.REPLICA_SET, d.namespace(), d.name() + "-" + hash);
    if (existing.isPresent()) {
      return adopt(d, existing.get(), obj);
    }
    WorkloadParser.Parsed parsed = new WorkloadParser().reread(Kind.REPLICA_SET, obj, d.ref());
    Workload rs = store.create(parsed, clock.instant());
    LOG.log(Logger.Level.INFO, "{0}: new ReplicaSet {1} (revision {2})", d.ref(), rs.name(), revision);
    return rs;
  }

  /// A ReplicaSet of this template's name that no one controls (left by `delete --cascade=orphan`) is
  /// taken back, as the Deployment controller adopts it; one controlled by something else is an error.
  private Workload adopt(Workload d, Workload rs, Map<String, Object> wanted) {
    if (rs.controller().isPresent() || !Revisions.runs(rs, ((DeploymentSpec) d.spec()).template().raw())) {
      throw new io.peapod.base.error.AlreadyExistsException(d.ref() + ": ReplicaSet " + rs.name() + " exists and"
          + " is not this Deployment's to adopt; delete it (peapod delete rs " + rs.name() + ")");
    }
    LOG.log(Logger.Level.INFO, "{0}: adopting ReplicaSet {1}", d.ref(), rs.name());
    Map<String, Object> adopted = ObjectMaps.with(rs.object(), List.of(d.asOwner().toMap()), "metadata",
        "ownerReferences");
    adopted = ObjectMaps.with(adopted, ObjectMaps.map(wanted, "metadata", "annotations").get(Revisions.REVISION),
        "metadata", "annotations", Revisions.REVISION);
    return replace(rs, adopted);
  }

  private int scale(Workload rs, int to) {
    if (replicas(rs) != to) {
      LOG.log(Logger.Level.INFO, "scaling {0} from {1} to {2}", rs.ref(), replicas(rs), to);
      replace(rs, ObjectMaps.with(rs.object(), to, "spec", "replicas"));
    }
    return to;
  }

  private Workload replace(Workload rs, Map<String, Object> object) {
    Workload updated = store.replace(rs, object);
    enqueue.accept(rs.uid());
    return updated;
  }

  private void publish(Workload d, DeploymentSpec spec, Optional<Workload> newRs, List<Workload> all) {
    int replicas = all.stream().mapToInt(DeploymentController::statusReplicas).sum();
    int specTotal = all.stream().mapToInt(DeploymentController::replicas).sum();
    int updated = newRs.map(DeploymentController::statusReplicas).orElse(0);
    int ready = all.stream().mapToInt(rs -> (int) ObjectMaps.number(rs.status(), 0, "readyReplicas")).sum();
    int available = all.stream().mapToInt(DeploymentController::available).sum();
    int maxUnavailable = spec.recreate() ? 0 : spec.maxUnavailable().of(spec.replicas(), false);
    Conditions conditions = Conditions.of(d.status());
    var now = clock.instant();
    if (available >= spec.replicas() - maxUnavailable) {
      conditions.set(Conditions.AVAILABLE, "True", "MinimumReplicasAvailable", "Deployment has minimum availability.",
          now);
    } else {
      conditions.set(Conditions.AVAILABLE, "False", "MinimumReplicasUnavailable",
          "Deployment does not have minimum availability.", now);
    }
    String rsName = newRs.map(Workload::name).orElse("");
    boolean complete = updated == spec.replicas() && replicas == updated && available >= spec.replicas();
    conditions.set(Conditions.PROGRESSING, "True", complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
        "ReplicaSet \"" + rsName + "\" " + (complete ? "has successfully progressed." : "is progressing."), now);
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("observedGeneration", d.generation());
    status.put("replicas", replicas);
    status.put("updatedReplicas", updated);
    status.put("readyReplicas", ready);
    status.put("availableReplicas", available);
    status.put("unavailableReplicas", Math.max(0, specTotal - available));
    status.put("conditions", conditions.toList());
    newRs.ifPresent(rs -> status.put("revision", String.valueOf(Revisions.revision(rs))));
    store.updateStatus(d.uid(), status, Map.of());
  }

  private static boolean observed(Workload rs) {
    return ObjectMaps.number(rs.status(), 0, "observedGeneration") >= rs.generation();
  }

  static int replicas(Workload rs) {
    return (int) ObjectMaps.number(rs.object(), 1, "spec", "replicas");
  }

  private static int statusReplicas(Workload rs) {
    return (int) ObjectMaps.number(rs.status(), 0, "replicas");
  }

  private static int available(Workload rs) {
    return (int) ObjectMaps.number(rs.status(), 0, "availableReplicas");
  }

  private static final Comparator<Workload> OLDEST_FIRST = Comparator.comparingLong(Revisions::revision)
      .thenComparing(Workload::created);
}
