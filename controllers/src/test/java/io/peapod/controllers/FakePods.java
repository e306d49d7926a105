package io.peapod.controllers;

import io.peapod.base.error.AlreadyExistsException;
import io.peapod.controllers.pods.PodInfo;
import io.peapod.controllers.pods.Pods;
import io.peapod.kubelet.manifest.Fields;
import io.peapod.kubelet.manifest.OwnerReference;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/// An in-memory pod store for the controllers' tests, standing where the kubelet stands: pods are
/// created Pending, a test moves them (ready, succeeded, failed), and a deleted pod stays, marked
/// deleting, until the test lets deletions finish, as containers take their grace period to end.
final class FakePods implements Pods {
  private final InstantSource clock;
  private final TreeMap<String, PodInfo> pods = new TreeMap<>();
  private final Map<String, Map<String, Object>> objects = new java.util.HashMap<>();
  private final List<Consumer<PodInfo>> listeners = new CopyOnWriteArrayList<>();
  /// The most pods of one owner that were running (not finished) at once, by owner uid.
  final Map<String, Integer> peakRunning = new java.util.HashMap<>();

  FakePods(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public synchronized List<PodInfo> list(Optional<String> namespace) {
    return pods.values().stream().filter(p -> namespace.isEmpty() || p.namespace().equals(namespace.get())).toList();
  }

  @Override
  public synchronized boolean exists(String namespace, String name) {
    return pods.containsKey(namespace + "/" + name);
  }

  @Override
  public PodInfo create(Map<String, Object> pod) {
    Fields f = new Fields("fake");
    Map<String, Object> meta = f.map(pod.get("metadata"), "metadata");
    String ns = (String) meta.get("namespace");
    String name = (String) meta.get("name");
    Optional<OwnerReference> owner = OwnerReference.parseAll(f, meta.get("ownerReferences"), "ownerReferences")
        .stream().filter(OwnerReference::controller).findFirst();
    PodInfo p = new PodInfo(UUID.randomUUID().toString(), ns, name, f.stringMap(meta.get("labels"), "labels"),
        f.stringMap(meta.get("annotations"), "annotations"), owner, "Pending", false, Optional.empty(), 0,
        clock.instant(), false);
    synchronized (this) {
      if (pods.containsKey(ns + "/" + name)) {
        throw new AlreadyExistsException("pod " + ns + "/" + name + " already exists");
      }
      if (name.length() > 63) {
        throw new IllegalArgumentException("pod name too long: " + name);
      }
      pods.put(ns + "/" + name, p);
      objects.put(ns + "/" + name, pod);
      owner.ifPresent(o -> peakRunning.merge(o.uid(), running(o.uid()), Math::max));
    }
    tell(p);
    return p;
  }

  private int running(String ownerUid) {
    return (int) pods.values().stream().filter(p -> p.controllerUid().equals(Optional.of(ownerUid)))
        .filter(p -> !p.succeeded() && !p.failed()).count();
  }

  @Override
  public void delete(String namespace, String name) {
    update(namespace + "/" + name, p -> with(p, p.phase(), p.ready(), p.restarts(), true));
  }

  @Override
  public void setOwners(String namespace, String name, List<OwnerReference> owners) {
    update(namespace + "/" + name, p -> new PodInfo(p.uid(), p.namespace(), p.name(), p.labels(), p.annotations(),
        owners.stream().filter(OwnerReference::controller).findFirst(), p.phase(), p.ready(), p.readySince(),
        p.restarts(), p.created(), p.deleting()));
  }

  @Override
  public AutoCloseable watch(Consumer<PodInfo> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  // ---- what the kubelet would do ----------------------------------------------------------------

  synchronized Map<String, Object> object(String namespace, String name) {
    return objects.get(namespace + "/" + name);
  }

  synchronized List<PodInfo> owned(String ownerUid) {
    return pods.values().stream().filter(p -> p.controllerUid().equals(Optional.of(ownerUid)))
        .sorted(Comparator.comparing(PodInfo::name)).toList();
  }

  void ready(PodInfo p) {
    update(key(p), x -> with(x, "Running", true, x.restarts(), x.deleting()));
  }

  void running(PodInfo p) {
    update(key(p), x -> with(x, "Running", false, x.restarts(), x.deleting()));
  }

  void succeed(PodInfo p) {
    update(key(p), x -> with(x, "Succeeded", false, x.restarts(), x.deleting()));
  }

  void fail(PodInfo p) {
    update(key(p), x -> with(x, "Failed", false, x.restarts(), x.deleting()));
  }

  void restarted(PodInfo p) {
    update(key(p), x -> with(x, x.phase(), x.ready(), x.restarts() + 1, x.deleting()));
  }

  /// Pods being deleted are gone.
  void finishDeletions() {
    List<PodInfo> gone = new ArrayList<>();
    synchronized (this) {
      pods.values().removeIf(p -> {
        if (p.deleting()) {
          gone.add(p);
          return true;
        }
        return false;
      });
    }
    gone.forEach(this::tell);
  }

  /// A pod deleted at once by hand (`delete --force`).
  void remove(PodInfo p) {
    synchronized (this) {
      pods.remove(key(p));
    }
    tell(p);
  }

  private void update(String key, UnaryOperator<PodInfo> change) {
    PodInfo after;
    synchronized (this) {
      PodInfo before = pods.get(key);
      if (before == null) {
        return;
      }
      after = change.apply(before);
      pods.put(key, after);
    }
    tell(after);
  }

  private PodInfo with(PodInfo p, String phase, boolean ready, int restarts, boolean deleting) {
    Optional<Instant> since = ready ? p.readySince().or(() -> Optional.of(clock.instant())) : Optional.empty();
    return new PodInfo(p.uid(), p.namespace(), p.name(), p.labels(), p.annotations(), p.controller(), phase, ready,
        since, restarts, p.created(), deleting);
  }

  private static String key(PodInfo p) {
    return p.namespace() + "/" + p.name();
  }

  private void tell(PodInfo p) {
    listeners.forEach(l -> l.accept(p));
  }
}
