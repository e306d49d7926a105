package io.peapod.controllers.pods;

import io.peapod.controllers.object.Workload;
import io.peapod.kubelet.manifest.OwnerReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/// The pod objects controllers act on, as a controller on a cluster sees them through the API server.
/// Nothing here waits for containers: creating a pod records it, deleting one asks for its deletion.
public interface Pods {
  /// Pods of a namespace (or all) in name order, including those being deleted.
  List<PodInfo> list(Optional<String> namespace);

  /// The pods `owner` controls: in its namespace, with a controller reference to its uid and kind. A
  /// reference from another namespace is not ownership (as on a cluster), so a pod cannot join a Job
  /// it was not made by from a namespace its writer controls.
  default List<PodInfo> ownedBy(Workload owner) {
    return list(Optional.of(owner.namespace())).stream().filter(p -> p.controller()
        .filter(o -> o.uid().equals(owner.uid()) && o.kind().equals(owner.kind().kindName())).isPresent()).toList();
  }

  /// The pods `owner` controls, after asking those that finished (failed, or succeeded under
  /// `restartPolicy: Always`) to go, so that its controller replaces them; those come back marked deleting.
  default List<PodInfo> ownedReplacingFinished(Workload owner) {
    List<PodInfo> out = new java.util.ArrayList<>();
    for (PodInfo p : ownedBy(owner)) {
      if (p.finished() && !p.deleting()) {
        delete(p.namespace(), p.name());
        p = p.asDeleting();
      }
      out.add(p);
    }
    return out;
  }

  /// Whether a pod of that name exists (also one being deleted).
  boolean exists(String namespace, String name);

  /// Creates a pod from a full `v1/Pod` object; a pod of that name is an
  /// [io.peapod.base.error.AlreadyExistsException].
  PodInfo create(Map<String, Object> pod);

  /// Asks for the pod's deletion with its own grace period; a pod that is gone is no error.
  void delete(String namespace, String name);

  /// Replaces the pod's owner references (its owner is deleted, and the pod orphaned).
  void setOwners(String namespace, String name, List<OwnerReference> owners);

  /// Tells `listener` of every pod that is added, changes or goes.
  AutoCloseable watch(Consumer<PodInfo> listener);
}
