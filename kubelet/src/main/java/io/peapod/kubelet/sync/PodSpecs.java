package io.peapod.kubelet.sync;

import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.pod.PodRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// Pod specs by uid, parsed once from the stored document (a pod's spec does not change).
public final class PodSpecs {
  private final ManifestParser parser = new ManifestParser();
  private final Map<String, PodManifest> byUid = new ConcurrentHashMap<>();

  public PodManifest of(PodRecord r) {
    return byUid.computeIfAbsent(r.uid(), uid -> parser.parse(r.document(), "stored pod " + r.namespace() + "/"
        + r.name()).pods().getFirst().pod());
  }

  /// Remembers the spec of a pod just accepted, so it is not parsed again.
  public void put(String uid, PodManifest spec) {
    byUid.put(uid, spec);
  }

  public void forget(String uid) {
    byUid.remove(uid);
  }
}
