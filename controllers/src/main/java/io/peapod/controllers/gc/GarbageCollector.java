package io.peapod.controllers.gc;

import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.object.WorkloadStore;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.Pods;
import java.lang.System.Logger;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/// The garbage collector of one node: a pod or ReplicaSet whose controlling owner is a workload that no
/// longer exists is deleted (background cascade); a workload marked for foreground deletion deletes
/// what it owns and is removed once nothing it owns is left. Pods whose owner is of a kind peapod does
/// not run are left alone: nothing here could say whether their owner exists.
public final class GarbageCollector {
  private static final Logger LOG = System.getLogger(GarbageCollector.class.getName());
  private final WorkloadStore store;
  private final Pods pods;

  public GarbageCollector(WorkloadStore store, Pods pods) {
    this.store = store;
    this.pods = pods;
  }

  /// One pass; returns whether anything was deleted (a second pass may then find more).
  public boolean collect() {
    // Pods and workloads are read before the uids that may own them: an owner is always made before
    // what it owns, so nothing read here can have an owner younger than the uid snapshot.
    List<PodInfo> all = pods.list(Optional.empty());
    List<Workload> workloads = store.list(Optional.empty(), Optional.empty());
    Set<String> live = new HashSet<>(store.uids());
    boolean any = false;
    for (Workload w : workloads) {
      Optional<String> owner = w.controller().map(o -> o.uid());
      if (owner.isPresent() && !live.contains(owner.get())) {
        LOG.log(Logger.Level.INFO, "deleting {0}: its owner {1} is gone", w.ref(), w.controller().get().name());
        store.delete(w.uid());
        live.remove(w.uid());
        any = true;
      }
    }
    for (PodInfo p : all) {
      if (p.controllerUid().isPresent() && ownedByWorkloadKind(p) && !live.contains(p.controllerUid().get())
          && !p.deleting()) {
        LOG.log(Logger.Level.INFO, "deleting pod {0}/{1}: its owner is gone", p.namespace(), p.name());
        pods.delete(p.namespace(), p.name());
        any = true;
      }
    }
    for (Workload w : store.list(Optional.empty(), Optional.empty())) {
      if (w.deletion().isPresent()) {
        any |= foreground(w, all);
      }
    }
    return any;
  }

  /// Deletes what `w` owns; removes `w` once none of it is left.
  private boolean foreground(Workload w, List<PodInfo> all) {
    List<Workload> children = store.ownedBy(w);
    List<PodInfo> owned = all.stream().filter(p -> p.namespace().equals(w.namespace())
        && p.controllerUid().equals(Optional.of(w.uid()))).toList();
    if (children.isEmpty() && owned.isEmpty()) {
      store.delete(w.uid());
      return true;
    }
    children.stream().filter(c -> c.deletion().isEmpty()).forEach(c -> store.markDeleting(c.uid(), w.deletion().get()));
    owned.stream().filter(p -> !p.deleting()).forEach(p -> pods.delete(p.namespace(), p.name()));
    return false;
  }

  private static boolean ownedByWorkloadKind(PodInfo p) {
    return p.controller().flatMap(o -> Kind.ofKindName(o.kind())).isPresent();
  }
}
