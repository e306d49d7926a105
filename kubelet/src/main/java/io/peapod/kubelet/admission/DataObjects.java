package io.peapod.kubelet.admission;

import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.manifest.EnvVar;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.sync.PodSpecs;
import io.peapod.kubelet.volume.VolumeFiles;
import java.util.Optional;
import java.util.function.Consumer;

/// Applying and deleting ConfigMaps and Secrets: an applied object wakes the pods of its namespace that
/// mount it, whose workers then rewrite their volumes; a deleted one leaves mounted files as they are,
/// as in Kubernetes.
public final class DataObjects {
  private final DataStore data;
  private final PodStore pods;
  private final PodSpecs specs;
  private final Consumer<String> signal;

  public DataObjects(DataStore data, PodStore pods, PodSpecs specs, Consumer<String> signal) {
    this.data = data;
    this.pods = pods;
    this.specs = specs;
    this.signal = signal;
  }

  /// Stores the object (unless `dryRun`); returns `created` or `configured`.
  public String apply(DataObject o, boolean dryRun) {
    if (dryRun) {
      return data.exists(o.kind(), o.namespace(), o.name()) ? "configured" : "created";
    }
    String action = data.put(o) ? "configured" : "created";
    for (PodRecord r : pods.list(Optional.of(o.namespace()))) {
      if (specs.of(r).volumes().stream().anyMatch(v -> VolumeFiles.reads(v.source(), o))) {
        signal.accept(r.uid());
      }
    }
    return action;
  }

  public boolean delete(EnvVar.ObjectKind kind, String namespace, String name) {
    return data.delete(kind, namespace, name);
  }

  public DataStore store() {
    return data;
  }
}
