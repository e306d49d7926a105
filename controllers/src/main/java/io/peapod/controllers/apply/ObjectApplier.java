package io.peapod.controllers.apply;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.controllers.Controllers;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.ObjectMaps;
import io.peapod.controllers.object.WorkloadParser;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.ParsedManifests;
import io.peapod.kubelet.pod.ApplyResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// Applies and deletes the objects of a manifest as `kubectl apply -f` / `delete -f` do. Every object
/// is validated before any is acted on, so a file with one bad object changes nothing. A namespace
/// given with `-n` fills in objects that name none and must agree with those that do.
public final class ObjectApplier {
  /// `--dry-run`: `CLIENT` only validates; `SERVER` also checks against what exists; neither stores.
  public enum DryRun { NONE, CLIENT, SERVER }

  private static final Set<String> KUBELET_KINDS = Set.of("Pod", "ConfigMap", "Secret");
  private final Kubelet kubelet;
  private final Controllers controllers;
  private final ManifestParser manifests = new ManifestParser();
  private final WorkloadParser workloads = new WorkloadParser();

  public ObjectApplier(Kubelet kubelet, Controllers controllers) {
    this.kubelet = kubelet;
    this.controllers = controllers;
  }

  /// The objects of a file, sorted by who handles them.
  private record Sorted(ParsedManifests kubeletObjects, List<WorkloadParser.Parsed> workloads,
      List<String> warnings) {}

  public ApplyResult apply(String yaml, String source, Optional<String> namespace, DryRun dryRun) {
    Sorted s = read(yaml, source, namespace);
    if (dryRun == DryRun.CLIENT) {
      List<String> results = new ArrayList<>();
      List<ApplyResult.Applied> objects = new ArrayList<>();
      s.kubeletObjects().dataObjects().forEach(x -> {
        results.add(x.ref() + " created (dry run)");
        objects.add(new ApplyResult.Applied(x.kind().kind(), x.namespace(), x.name(), "created"));
      });
      s.kubeletObjects().pods().forEach(d -> {
        results.add("pod/" + d.pod().name() + " created (dry run)");
        objects.add(new ApplyResult.Applied("Pod", d.pod().namespace(), d.pod().name(), "created"));
      });
      s.workloads().forEach(w -> {
        results.add(w.kind().singular() + "." + group(w.kind()) + "/" + w.name() + " created (dry run)");
        objects.add(new ApplyResult.Applied(w.kind().kindName(), w.namespace(), w.name(), "created"));
      });
      return new ApplyResult(results, objects, s.warnings());
    }
    boolean server = dryRun == DryRun.SERVER;
    ApplyResult k = kubelet.apply(s.kubeletObjects(), source, server);
    List<String> results = new ArrayList<>(k.results());
    List<ApplyResult.Applied> objects = new ArrayList<>(k.objects());
    for (WorkloadParser.Parsed w : s.workloads()) {
      String action = controllers.apply(w, server);
      results.add(w.kind().singular() + "." + group(w.kind()) + "/" + w.name() + " " + action
          + (server ? " (server dry run)" : ""));
      objects.add(new ApplyResult.Applied(w.kind().kindName(), w.namespace(), w.name(), action));
    }
    return new ApplyResult(results, objects, s.warnings());
  }

  /// Deletes what the file names; objects already gone are reported, not an error.
  public ApplyResult delete(String yaml, String source, Optional<String> namespace, Optional<Long> graceSeconds,
      boolean force, Controllers.Cascade cascade) {
    Sorted s = read(yaml, source, namespace);
    List<String> results = new ArrayList<>();
    List<ApplyResult.Applied> objects = new ArrayList<>();
    for (WorkloadParser.Parsed w : s.workloads()) {
      String action;
      try {
        controllers.delete(w.kind(), w.namespace(), w.name(), cascade);
        action = "deleted";
      } catch (NotFoundException e) {
        action = "not found";
      }
      results.add(w.kind().singular() + "." + group(w.kind()) + "/" + w.name() + " " + action);
      objects.add(new ApplyResult.Applied(w.kind().kindName(), w.namespace(), w.name(), action));
    }
    ApplyResult k = kubelet.deleteManifest(s.kubeletObjects(), graceSeconds, force);
    results.addAll(k.results());
    objects.addAll(k.objects());
    return new ApplyResult(results, objects, s.warnings());
  }

  private Sorted read(String yaml, String source, Optional<String> namespace) {
    List<Map<String, Object>> forKubelet = new ArrayList<>();
    List<WorkloadParser.Parsed> parsed = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Map<String, Object> raw : manifests.documents(yaml, source)) {
      Map<String, Object> obj = withNamespace(raw, namespace, source);
      String kind = String.valueOf(obj.getOrDefault("kind", ""));
      Optional<Kind> workload = Kind.ofKindName(kind);
      if (workload.isPresent()) {
        WorkloadParser.Parsed p = workloads.parse(workload.get(), obj, source, warnings);
        kubelet.checkNode(p.spec().template().pod(), source);
        if (!seen.add(kind + "/" + p.namespace() + "/" + p.name())) {
          throw new InvalidArgumentException(source + ": " + kind + " " + p.namespace() + "/" + p.name()
              + " is defined twice");
        }
        parsed.add(p);
      } else if (KUBELET_KINDS.contains(kind)) {
        forKubelet.add(obj);
      } else {
        throw new InvalidArgumentException(source + ": kind " + (kind.isEmpty() ? "(missing)" : "'" + kind + "'")
            + " is not supported; peapod runs Pod, ConfigMap, Secret, Job, Deployment, ReplicaSet, DaemonSet and StatefulSet"
            + (kind.isEmpty() ? " (every object needs apiVersion and kind)" : ""));
      }
    }
    ParsedManifests kubeletObjects = forKubelet.isEmpty() ? new ParsedManifests(List.of(), List.of(), List.of())
        : manifests.parse(forKubelet, source);
    List<String> all = new ArrayList<>(kubeletObjects.warnings());
    all.addAll(warnings);
    return new Sorted(kubeletObjects, parsed, all);
  }

  /// `-n NS` as kubectl applies it: the namespace of objects without one, and a conflict with any other.
  private static Map<String, Object> withNamespace(Map<String, Object> obj, Optional<String> namespace,
      String source) {
    if (namespace.isEmpty()) {
      return obj;
    }
    Object given = ObjectMaps.map(obj, "metadata").get("namespace");
    if (given == null) {
      return ObjectMaps.with(obj, namespace.get(), "metadata", "namespace");
    }
    if (!given.equals(namespace.get())) {
      throw new InvalidArgumentException(source + ": the namespace from the provided object \"" + given + "\" does"
          + " not match the namespace \"" + namespace.get() + "\"; pass -n " + given + " or remove metadata.namespace");
    }
    return obj;
  }

  static String group(Kind kind) {
    return kind.apiVersion().substring(0, kind.apiVersion().indexOf('/'));
  }
}
