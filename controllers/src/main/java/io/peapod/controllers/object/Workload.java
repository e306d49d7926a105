package io.peapod.controllers.object;

import io.peapod.kubelet.manifest.OwnerReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// One stored workload. `object` is the manifest as applied (apiVersion, kind, metadata, spec) and
/// `spec` its validated form; `generation` counts spec changes, as the API server's does. `status` is
/// what `get -o yaml` shows; `tracking` is what the controller remembers beyond its pods (a Job's
/// counted pods), never shown. A workload whose `deletion` is set waits for its dependents to go
/// (foreground deletion).
public record Workload(String uid, Kind kind, String namespace, String name, long generation, Instant created,
    Map<String, String> labels, Map<String, String> annotations, List<OwnerReference> ownerReferences,
    Map<String, Object> object, WorkloadSpec spec, Map<String, Object> status, Map<String, Object> tracking,
    Optional<Instant> deletion) {
  public Workload {
    labels = Map.copyOf(labels);
    annotations = Map.copyOf(annotations);
    ownerReferences = List.copyOf(ownerReferences);
  }

  /// The owner that manages this workload (a ReplicaSet's Deployment), if any.
  public Optional<OwnerReference> controller() {
    return ownerReferences.stream().filter(OwnerReference::controller).findFirst();
  }

  /// An owner reference to this workload, as its pods (or ReplicaSets) carry it.
  public OwnerReference asOwner() {
    return new OwnerReference(kind.apiVersion(), kind.kindName(), name, uid, true, true);
  }

  /// `kind/name` as kubectl prints it (`deployment.apps/web`, `job.batch/pi`).
  public String ref() {
    return kind.singular() + "." + kind.apiVersion().substring(0, kind.apiVersion().indexOf('/')) + "/" + name;
  }

  public Workload withStatus(Map<String, Object> newStatus, Map<String, Object> newTracking) {
    return new Workload(uid, kind, namespace, name, generation, created, labels, annotations, ownerReferences, object,
        spec, newStatus, newTracking, deletion);
  }
}
