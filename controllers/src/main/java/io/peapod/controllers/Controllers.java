package io.peapod.controllers;

import io.peapod.base.concurrent.Timers;
import io.peapod.base.error.AlreadyExistsException;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.labels.LabelSelector;
import io.peapod.controllers.daemonset.DaemonSetController;
import io.peapod.controllers.deployment.DeploymentController;
import io.peapod.controllers.deployment.Revisions;
import io.peapod.controllers.gc.GarbageCollector;
import io.peapod.controllers.job.JobController;
import io.peapod.controllers.loop.ControllerLoop;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.ObjectMaps;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadParser;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.Creator;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.PodNames;
import io.peapod.controllers.pods.Pods;
import io.peapod.controllers.replicaset.ReplicaSetController;
import io.peapod.controllers.statefulset.StatefulSetController;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.state.Database;
import java.lang.System.Logger;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The controllers layer as the daemon's API sees it: workloads applied, listed, scaled, rolled back
/// and deleted, each change queued for its controller. Controllers run on one thread ([ControllerLoop]);
/// pod changes queue the pod's owner, and every `resync` period every workload is synced and garbage
/// collected, so a change that was missed is still acted on within one period.
public final class Controllers implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Controllers.class.getName());
  private final WorkloadStore store;
  private final Pods pods;
  private final InstantSource clock;
  private final Timers timers;
  private final Duration resync;
  private final ControllerLoop loop;
  private final GarbageCollector gc;
  private AutoCloseable podWatch;
  private volatile Timers.Cancellable nextResync;
  private volatile boolean closed;

  /// `jobBackOff` is the first delay after a Job's pod fails; `resync` how often everything is synced.
  public Controllers(Pods pods, Database db, Timers timers, InstantSource clock, Duration jobBackOff,
      Duration resync) {
    this.store = new WorkloadStore(db);
    this.pods = pods;
    this.clock = clock;
    this.timers = timers;
    this.resync = resync;
    Creator creator = new Creator(pods, new PodNames());
    this.loop = new ControllerLoop(store, timers);
    loop.register(Kind.JOB, new JobController(creator, store, clock, jobBackOff, this::deleteInBackground));
    loop.register(Kind.REPLICA_SET, new ReplicaSetController(creator, store, clock));
    loop.register(Kind.DEPLOYMENT, new DeploymentController(store, pods, clock, loop::enqueue));
    loop.register(Kind.DAEMON_SET, new DaemonSetController(creator, store, clock));
    loop.register(Kind.STATEFUL_SET, new StatefulSetController(pods, store, clock));
    this.gc = new GarbageCollector(store, pods);
  }

  /// Collects garbage left by a daemon that died mid-deletion, syncs every workload, and keeps going.
  public void start() {
    watchPods();
    loop.start();
    periodic();
  }

  /// Queues a pod's controlling owner whenever the pod changes.
  public void watchPods() {
    podWatch = pods.watch(p -> p.controllerUid().ifPresent(loop::enqueue));
  }

  private void periodic() {
    if (closed) {
      return;
    }
    resyncNow();
    nextResync = timers.schedule(resync, this::periodic);
  }

  /// Garbage collection (until nothing more goes) and a sync of every workload (also tests).
  public void resyncNow() {
    try {
      loop.locked(() -> {
        for (int i = 0; i < 3 && gc.collect(); i++) {
          LOG.log(Logger.Level.DEBUG, "garbage collection pass {0} deleted objects", i + 1);
        }
        return null;
      });
      loop.resync();
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.WARNING, "resync failed; it runs again in " + resync.toSeconds() + " s", e);
    }
  }

  /// Syncs queued workloads on the calling thread (tests drive the loop this way).
  public void drain() {
    loop.drain();
  }

  // ---- applying --------------------------------------------------------------------------------

  /// Creates the workload, or replaces its object (`configured`; a spec change moves the generation
  /// and the controller rolls it out), or finds it `unchanged`. With `dryRun`, only says which.
  public String apply(WorkloadParser.Parsed p, boolean dryRun) {
    return loop.locked(() -> applyLocked(p, dryRun));
  }

  private String applyLocked(WorkloadParser.Parsed p, boolean dryRun) {
    Optional<Workload> existing = store.find(p.kind(), p.namespace(), p.name());
    if (existing.isPresent() && existing.get().deletion().isPresent()) {
      throw new AlreadyExistsException(existing.get().ref() + " is being deleted; apply it again once it is gone");
    }
    if (existing.isEmpty()) {
      if (!dryRun) {
        Workload w = store.create(p, clock.instant());
        loop.enqueue(w.uid());
      }
      return "created";
    }
    Workload w = existing.get();
    Map<String, Object> object = ObjectMaps.copy(p.object());
    if (ObjectMaps.canonical(object).equals(ObjectMaps.canonical(w.object()))) {
      return "unchanged";
    }
    requireSameSelector(w, p);
    if (!dryRun) {
      store.replace(w, object);
      loop.enqueue(w.uid());
    }
    return "configured";
  }

  /// The API server refuses a changed selector for apps/v1 kinds: the pods would lose their owner.
  private static void requireSameSelector(Workload w, WorkloadParser.Parsed p) {
    Object before = ObjectMaps.map(w.object(), "spec", "selector");
    Object after = ObjectMaps.map(p.object(), "spec", "selector");
    if (w.kind() != Kind.JOB && !ObjectMaps.canonical(before).equals(ObjectMaps.canonical(after))) {
      throw new InvalidArgumentException(w.kind().kindName() + ".apps \"" + w.name() + "\" is invalid: spec.selector:"
          + " Invalid value: field is immutable; delete the " + w.kind().singular() + " and apply it again");
    }
    if (w.kind() == Kind.JOB && !ObjectMaps.canonical(ObjectMaps.map(w.object(), "spec", "template"))
        .equals(ObjectMaps.canonical(ObjectMaps.map(p.object(), "spec", "template")))) {
      throw new InvalidArgumentException("Job.batch \"" + w.name() + "\" is invalid: spec.template: Invalid value:"
          + " field is immutable; delete the job and apply it again (peapod delete job " + w.name() + ")");
    }
  }

  // ---- reading ---------------------------------------------------------------------------------

  public List<Workload> list(Optional<Kind> kind, Optional<String> namespace, LabelSelector selector) {
    return store.list(kind, namespace).stream().filter(w -> selector.matches(w.labels())).toList();
  }

  public Workload get(Kind kind, String namespace, String name) {
    return store.find(kind, namespace, name).orElseThrow(() -> new NotFoundException(kind.singular() + "."
        + kind.apiVersion().substring(0, kind.apiVersion().indexOf('/')) + " \"" + name + "\" not found in namespace "
        + namespace));
  }

  /// The pods the workload controls (through its ReplicaSets for a Deployment), by name.
  public List<PodInfo> podsOf(Workload w) {
    List<PodInfo> out = new java.util.ArrayList<>(pods.ownedBy(w));
    store.ownedBy(w).forEach(c -> out.addAll(pods.ownedBy(c)));
    return out;
  }

  /// What a workload owns directly among workloads (a Deployment's ReplicaSets).
  public List<Workload> ownedBy(Workload w) {
    return store.ownedBy(w);
  }

  // ---- changing --------------------------------------------------------------------------------

  /// `scale KIND/NAME --replicas=N` for Deployments, ReplicaSets and StatefulSets.
  public Workload scale(Kind kind, String namespace, String name, int replicas) {
    return loop.locked(() -> scaleLocked(kind, namespace, name, replicas));
  }

  private Workload scaleLocked(Kind kind, String namespace, String name, int replicas) {
    if (kind == Kind.JOB || kind == Kind.DAEMON_SET) {
      throw new InvalidArgumentException("a " + kind.kindName() + " cannot be scaled; scale a Deployment, ReplicaSet"
          + " or StatefulSet (a Job's spec.parallelism is set in its manifest)");
    }
    if (replicas < 0) {
      throw new InvalidArgumentException("--replicas " + replicas + " must not be negative");
    }
    Workload w = get(kind, namespace, name);
    Workload scaled = store.replace(w, ObjectMaps.with(w.object(), replicas, "spec", "replicas"));
    loop.enqueue(w.uid());
    return scaled;
  }

  /// A Deployment's revisions, oldest first: each ReplicaSet with its revision number.
  public List<Workload> history(String namespace, String name) {
    Workload d = get(Kind.DEPLOYMENT, namespace, name);
    return store.ownedBy(d).stream().filter(w -> w.kind() == Kind.REPLICA_SET)
        .sorted(Comparator.comparingLong(Revisions::revision)).toList();
  }

  /// `rollout undo`: the Deployment's template becomes that of `toRevision` (0: the one before the
  /// current), which the controller then rolls out as a new revision.
  public Workload undo(String namespace, String name, long toRevision) {
    return loop.locked(() -> undoLocked(namespace, name, toRevision));
  }

  private Workload undoLocked(String namespace, String name, long toRevision) {
    Workload d = get(Kind.DEPLOYMENT, namespace, name);
    List<Workload> revisions = history(namespace, name);
    long current = revisions.stream().filter(rs -> Revisions.runs(rs, d.spec().template().raw()))
        .mapToLong(Revisions::revision).findFirst().orElse(Long.MAX_VALUE);
    Optional<Workload> target = toRevision > 0
        ? revisions.stream().filter(rs -> Revisions.revision(rs) == toRevision).findFirst()
        : revisions.stream().filter(rs -> Revisions.revision(rs) < current)
            .max(Comparator.comparingLong(Revisions::revision));
    if (target.isEmpty()) {
      throw new FailedPreconditionException(toRevision > 0 ? "unable to find specified revision " + toRevision
          + " in history of deployment \"" + name + "\"" : "no rollout history found for deployment \"" + name
          + "\" before revision " + current);
    }
    Workload updated = store.replace(d, ObjectMaps.with(d.object(), Revisions.template(target.get()), "spec",
        "template"));
    loop.enqueue(d.uid());
    return updated;
  }

  /// `rollout restart`: stamps the template, which rolls out new pods as any template change does.
  public Workload restart(Kind kind, String namespace, String name) {
    return loop.locked(() -> restartLocked(kind, namespace, name));
  }

  private Workload restartLocked(Kind kind, String namespace, String name) {
    if (kind == Kind.JOB || kind == Kind.REPLICA_SET) {
      throw new InvalidArgumentException("rollout restart works on deployments, daemonsets and statefulsets, not "
          + kind.plural());
    }
    Workload w = get(kind, namespace, name);
    Workload updated = store.replace(w, ObjectMaps.with(w.object(), clock.instant().toString(), "spec", "template",
        "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"));
    loop.enqueue(w.uid());
    return updated;
  }

  /// How a deletion treats what the workload owns, as `kubectl delete --cascade` says.
  public enum Cascade { BACKGROUND, FOREGROUND, ORPHAN }

  /// Deletes a workload: `BACKGROUND` removes it at once and its pods (and ReplicaSets) after it;
  /// `FOREGROUND` removes it once they are gone; `ORPHAN` leaves them running without an owner.
  public Workload delete(Kind kind, String namespace, String name, Cascade cascade) {
    Workload w = loop.locked(() -> {
      Workload found = get(kind, namespace, name);
      switch (cascade) {
        case ORPHAN -> {
          orphan(found);
          store.delete(found.uid());
        }
        case BACKGROUND -> store.delete(found.uid());
        case FOREGROUND -> store.markDeleting(found.uid(), clock.instant());
      }
      return found;
    });
    LOG.log(Logger.Level.INFO, "{0} deleted (cascade {1})", w.ref(), cascade.name().toLowerCase(java.util.Locale.ROOT));
    resyncNow();
    return w;
  }

  private void deleteInBackground(Workload w) {
    store.delete(w.uid());
    gc.collect();
  }

  /// Removes `w` from the owner references of what it owns (and, for a Deployment, of what its
  /// ReplicaSets own, which are orphaned with it).
  private void orphan(Workload w) {
    for (PodInfo p : pods.ownedBy(w)) {
      pods.setOwners(p.namespace(), p.name(), List.<OwnerReference>of());
    }
    for (Workload child : store.ownedBy(w)) {
      store.replace(child, ObjectMaps.with(child.object(), null, "metadata", "ownerReferences"));
    }
  }

  @Override
  public void close() {
    closed = true;
    Timers.Cancellable r = nextResync;
    if (r != null) {
      r.cancel();
    }
    if (podWatch != null) {
      try {
        podWatch.close();
      } catch (Exception e) {
        LOG.log(Logger.Level.WARNING, "closing the pod watch failed", e);
      }
    }
    loop.close();
  }
}
