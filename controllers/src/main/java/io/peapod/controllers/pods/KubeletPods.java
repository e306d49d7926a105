package io.peapod.controllers.pods;

import io.peapod.base.error.NotFoundException;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.pod.CriPods;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.sync.PodChanges;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/// [Pods] on the daemon's kubelet: a created pod is validated and admitted as an applied one is.
public final class KubeletPods implements Pods {
  private final Kubelet kubelet;
  private final ManifestParser parser = new ManifestParser();

  public KubeletPods(Kubelet kubelet) {
    this.kubelet = kubelet;
  }

  /// peapod's own pods: those a CRI client runs belong to that client, never to a workload here.
  @Override
  public List<PodInfo> list(Optional<String> namespace) {
    return kubelet.list(namespace).stream().filter(p -> !p.source().equals(CriPods.SOURCE)).map(KubeletPods::info)
        .toList();
  }

  @Override
  public boolean exists(String namespace, String name) {
    try {
      kubelet.get(namespace, name);
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public PodInfo create(Map<String, Object> pod) {
    String where = "pod " + pod.get("metadata");
    PodDocument d = parser.parse(List.of(pod), where).pods().getFirst();
    return info(kubelet.create(d));
  }

  @Override
  public void delete(String namespace, String name) {
    try {
      kubelet.delete(namespace, name, Optional.empty(), false, false);
    } catch (NotFoundException e) {
      // Gone already: what the caller wanted.
    }
  }

  @Override
  public void setOwners(String namespace, String name, List<OwnerReference> owners) {
    try {
      kubelet.setOwners(namespace, name, owners);
    } catch (NotFoundException e) {
      // Gone already: nothing left to orphan.
    }
  }

  @Override
  public AutoCloseable watch(Consumer<PodInfo> listener) {
    return kubelet.watch((PodChanges.Change c) -> listener.accept(info(c.pod())));
  }

  static PodInfo info(PodView v) {
    return new PodInfo(v.uid(), v.namespace(), v.name(), v.labels(), v.annotations(),
        v.controller(), v.phase(), v.conditions().stream()
            .anyMatch(c -> c.type().equals(io.peapod.kubelet.pod.PodCondition.READY) && c.isTrue()),
        v.readySince(), v.restarts(), v.created(), v.deletionTimestamp().isPresent());
  }
}
