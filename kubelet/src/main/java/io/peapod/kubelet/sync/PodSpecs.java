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
  private final Map<String, Map<String, Object>> documents = new ConcurrentHashMap<>();

  public PodManifest of(PodRecord r) {
    return byUid.computeIfAbsent(r.uid(), uid -> parser.parse(r.document(), "stored pod " + r.namespace() + "/"
        + r.name()).pods().getFirst().pod());
  }

  /// The `spec` of the stored document as written (for the API's `-o yaml`), parsed once.
  public Map<String, Object> document(PodRecord r) {
    return documents.computeIfAbsent(r.uid(), uid -> {
      Object spec = parser.documents(r.document(), "stored pod " + r.namespace() + "/" + r.name()).getFirst()
          .get("spec");
      return spec instanceof Map<?, ?> m ? io.peapod.kubelet.manifest.Fields.cast(m) : Map.of();
    });
  }

  /// Remembers the spec of a pod just accepted, so it is not parsed again.
  public void put(String uid, PodManifest spec) {
    byUid.put(uid, spec);
    documents.remove(uid);
  }

  public void forget(String uid) {
    byUid.remove(uid);
    documents.remove(uid);
  }
}
