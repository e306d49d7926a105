package io.peapod.controllers.pods;

import io.peapod.controllers.object.Workload;
import io.peapod.kubelet.manifest.Fields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Turns a workload's pod template into a `v1/Pod` object: the template's metadata with the pod's
/// name, namespace, extra labels and annotations, and an owner reference to the workload as its
/// controller; the template's spec, with extra environment variables in every container.
public final class PodTemplates {
  private PodTemplates() {}

  /// What a controller adds to its template for one pod.
  public record Extras(Map<String, String> labels, Map<String, String> annotations, Map<String, String> env,
      String hostname) {
    public static final Extras NONE = new Extras(Map.of(), Map.of(), Map.of(), "");

    public Extras {
      labels = Map.copyOf(labels);
      annotations = Map.copyOf(annotations);
      env = Map.copyOf(env);
    }
  }

  public static Map<String, Object> pod(Workload owner, Map<String, Object> template, String name, Extras extras) {
    Fields f = new Fields(owner.ref());
    Map<String, Object> meta = new LinkedHashMap<>(f.optionalMap(template.get("metadata"), "spec.template.metadata"));
    meta.put("name", name);
    meta.put("namespace", owner.namespace());
    Map<String, Object> labels = new LinkedHashMap<>(f.optionalMap(meta.get("labels"), "labels"));
    labels.putAll(extras.labels());
    meta.put("labels", labels);
    Map<String, Object> annotations = new LinkedHashMap<>(f.optionalMap(meta.get("annotations"), "annotations"));
    annotations.putAll(extras.annotations());
    if (!annotations.isEmpty()) {
      meta.put("annotations", annotations);
    }
    meta.put("ownerReferences", List.of(owner.asOwner().toMap()));
    Map<String, Object> spec = new LinkedHashMap<>(f.map(template.get("spec"), "spec.template.spec"));
    if (!extras.env().isEmpty()) {
      for (String list : List.of("initContainers", "containers")) {
        if (spec.get(list) instanceof List<?> cs) {
          spec.put(list, cs.stream().map(c -> withEnv(f.map(c, list), extras.env())).toList());
        }
      }
    }
    if (!extras.hostname().isEmpty()) {
      spec.put("hostname", extras.hostname());
    }
    Map<String, Object> pod = new LinkedHashMap<>();
    pod.put("apiVersion", "v1");
    pod.put("kind", "Pod");
    pod.put("metadata", meta);
    pod.put("spec", spec);
    return pod;
  }

  private static Map<String, Object> withEnv(Map<String, Object> container, Map<String, String> env) {
    Map<String, Object> c = new LinkedHashMap<>(container);
    List<Object> list = new ArrayList<>();
    env.forEach((k, v) -> list.add(Map.of("name", k, "value", v)));
    if (c.get("env") instanceof List<?> existing) {
      list.addAll(existing);
    }
    c.put("env", list);
    return c;
  }
}
