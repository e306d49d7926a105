package io.peapod.kubelet;

import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.ParsedManifests;
import io.peapod.kubelet.manifest.ParsedManifests.PodDocument;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.pod.PodRecord;
import io.peapod.kubelet.pod.PodStore;
import io.peapod.kubelet.staticpod.StaticPodSource;
import java.lang.System.Logger;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/// What static pod files become: pods named `<name>-<node>` that remember their file, as kubelet's mirror
/// pods. A changed file replaces its pods (once the old ones are gone), a removed file deletes them.
final class StaticPods implements StaticPodSource.Target {
  private static final Logger LOG = System.getLogger(StaticPods.class.getName());
  private final Kubelet kubelet;
  private final ManifestParser parser;
  private final PodStore store;
  private final String nodeName;

  StaticPods(Kubelet kubelet, ManifestParser parser, PodStore store, String nodeName) {
    this.kubelet = kubelet;
    this.parser = parser;
    this.store = store;
    this.nodeName = nodeName;
  }

  @Override
  public boolean applyStatic(Path file, String yaml) {
    ParsedManifests parsed = parser.parse(yaml, file.toString());
    removeStaticExcept(file, parsed);
    boolean all = true;
    for (PodDocument d : parsed.pods()) {
      String yamlRenamed = ManifestParser.renamed(d.yaml(), d.pod().name() + "-" + nodeName);
      PodDocument renamed = parser.parse(yamlRenamed, file.toString()).pods().getFirst();
      PodManifest pod = renamed.pod();
      Optional<PodRecord> existing = store.find(pod.namespace(), pod.name());
      if (existing.isPresent() && existing.get().deleting()) {
        all = false;
        continue;
      }
      if (existing.isPresent() && existing.get().isStatic()
          && !existing.get().manifest().equals(io.peapod.kubelet.admission.PodAdmission.canonical(pod))) {
        LOG.log(Logger.Level.INFO, "static pod {0} changed in {1}; replacing it", pod.name(), file);
        kubelet.deleteRecord(existing.get(), Optional.empty(), false, false);
        all = false;
        continue;
      }
      kubelet.accept(renamed, file.toString());
    }
    return all;
  }

  private void removeStaticExcept(Path file, ParsedManifests keep) {
    Set<String> names = new HashSet<>();
    keep.pods().forEach(d -> names.add(d.pod().namespace() + "/" + d.pod().name() + "-" + nodeName));
    for (PodRecord r : store.list(Optional.empty())) {
      if (r.source().equals(file.toString()) && !names.contains(r.namespace() + "/" + r.name()) && !r.deleting()) {
        kubelet.deleteRecord(r, Optional.empty(), false, false);
      }
    }
  }

  @Override
  public void removeStatic(Path file) {
    for (PodRecord r : store.list(Optional.empty())) {
      if (r.source().equals(file.toString()) && !r.deleting()) {
        kubelet.deleteRecord(r, Optional.empty(), false, false);
      }
    }
  }
}
