package io.peapod.server.api;

import io.peapod.controllers.object.Workload;
import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.store.ImageRecord;
import io.peapod.kubelet.event.Event;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.kubelet.pod.PodCondition;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.data.DataStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// The JSON shapes of the API's answers. Pods follow the Kubernetes Pod object's field names
/// (`metadata`, `spec`-less `status` with `containerStatuses`) so `-o yaml|json` reads familiar.
final class ApiJson {
  private ApiJson() {}

  /// A workload as the API server returns it: the applied object with identity filled in, and status.
  static Map<String, Object> workload(Workload w) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", w.name());
    meta.put("namespace", w.namespace());
    meta.put("uid", w.uid());
    meta.put("generation", w.generation());
    meta.put("creationTimestamp", w.created().toString());
    w.deletion().ifPresent(t -> meta.put("deletionTimestamp", t.toString()));
    if (!w.labels().isEmpty()) {
      meta.put("labels", w.labels());
    }
    if (!w.annotations().isEmpty()) {
      meta.put("annotations", w.annotations());
    }
    if (!w.ownerReferences().isEmpty()) {
      meta.put("ownerReferences", w.ownerReferences().stream().map(OwnerReference::toMap).toList());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("apiVersion", w.kind().apiVersion());
    out.put("kind", w.kind().kindName());
    out.put("metadata", meta);
    out.put("spec", w.object().getOrDefault("spec", Map.of()));
    out.put("status", w.status());
    return out;
  }

  /// A pod as the API shows it: metadata, `spec` as its document has it (empty once the pod is gone), status.
  static Map<String, Object> pod(PodView p, Map<String, Object> spec, String hostIp) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", p.name());
    meta.put("namespace", p.namespace());
    meta.put("uid", p.uid());
    meta.put("creationTimestamp", p.created().toString());
    p.deletionTimestamp().ifPresent(t -> meta.put("deletionTimestamp", t.toString()));
    if (!p.labels().isEmpty()) {
      meta.put("labels", p.labels());
    }
    Map<String, String> annotations = new LinkedHashMap<>(p.annotations());
    if (!p.source().equals("api")) {
      annotations.put("kubernetes.io/config.source", "file");
      annotations.put("kubernetes.io/config.mirror", p.source());
    }
    if (!annotations.isEmpty()) {
      meta.put("annotations", annotations);
    }
    if (!p.ownerReferences().isEmpty()) {
      meta.put("ownerReferences", p.ownerReferences().stream().map(OwnerReference::toMap).toList());
    }
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", p.phase());
    if (!p.reason().isEmpty()) {
      status.put("reason", p.reason());
      status.put("message", p.message());
    }
    status.put("conditions", p.conditions().stream().map(ApiJson::condition).toList());
    status.put("hostIP", hostIp);
    status.put("podIP", p.ip());
    p.startTime().ifPresent(t -> status.put("startTime", t.toString()));
    status.put("qosClass", p.qosClass());
    if (!p.initContainers().isEmpty()) {
      status.put("initContainerStatuses", p.initContainers().stream().map(ApiJson::container).toList());
    }
    status.put("containerStatuses", p.containers().stream().map(ApiJson::container).toList());
    if (!p.ephemeralContainers().isEmpty()) {
      status.put("ephemeralContainerStatuses", p.ephemeralContainers().stream().map(ApiJson::container).toList());
    }
    status.put("display", p.status());
    status.put("ready", p.ready());
    status.put("total", p.total());
    status.put("restarts", p.restarts());
    p.lastRestart().ifPresent(t -> status.put("lastRestart", t.toString()));
    status.put("nodeName", p.node());
    status.put("sandboxId", p.sandboxId());
    status.put("pausePid", p.pausePid());
    status.put("netnsPath", p.netnsPath());
    status.put("shareProcessNamespace", p.sharedPid());
    status.put("hostNetwork", p.hostNetwork());
    status.put("logDirectory", p.logDirectory());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", "Pod");
    m.put("metadata", meta);
    if (!spec.isEmpty()) {
      m.put("spec", spec);
    }
    m.put("status", status);
    return m;
  }

  private static Map<String, Object> condition(PodCondition c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("type", c.type());
    m.put("status", c.status());
    m.put("lastTransitionTime", c.lastTransitionTime().toString());
    if (!c.reason().isEmpty()) {
      m.put("reason", c.reason());
    }
    if (!c.message().isEmpty()) {
      m.put("message", c.message());
    }
    return m;
  }

  static Map<String, Object> event(Event e) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", e.pod() + "." + Long.toHexString(e.id()));
    meta.put("namespace", e.namespace());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", "Event");
    m.put("metadata", meta);
    m.put("involvedObject", Map.of("kind", "Pod", "name", e.pod(), "namespace", e.namespace(), "uid", e.podUid()));
    m.put("type", e.type());
    m.put("reason", e.reason());
    m.put("message", e.message());
    m.put("count", e.count());
    m.put("firstTimestamp", e.firstSeen().toString());
    m.put("lastTimestamp", e.lastSeen().toString());
    m.put("source", Map.of("component", "kubelet"));
    return m;
  }

  /// One ConfigMap or Secret as `describe` shows it: a Secret's keys with their sizes only; a ConfigMap's
  /// text values, and the sizes of values that are not UTF-8 text (`binaryData`).
  static Map<String, Object> dataDetail(io.peapod.kubelet.manifest.DataObject o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", o.kind().kind());
    m.put("metadata", Map.of("name", o.name(), "namespace", o.namespace()));
    Map<String, Object> data = new java.util.TreeMap<>();
    Map<String, Object> binary = new java.util.TreeMap<>();
    boolean secret = o.kind() == io.peapod.kubelet.manifest.EnvVar.ObjectKind.SECRET;
    o.data().forEach((k, v) -> {
      java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
      try {
        String text = utf8.decode(java.nio.ByteBuffer.wrap(v)).toString();
        data.put(k, secret ? v.length : text);
      } catch (java.nio.charset.CharacterCodingException notText) {
        (secret ? data : binary).put(k, v.length);
      }
    });
    if (secret) {
      m.put("type", o.type());
      m.put("dataSizes", data);
    } else {
      m.put("data", data);
      m.put("binaryDataSizes", binary);
    }
    return m;
  }

  static Map<String, Object> dataObject(DataStore.DataRow s) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", s.name());
    meta.put("namespace", s.namespace());
    meta.put("creationTimestamp", s.created().toString());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", s.kind().kind());
    m.put("metadata", meta);
    if (s.kind() == io.peapod.kubelet.manifest.EnvVar.ObjectKind.SECRET) {
      m.put("type", s.type());
    }
    m.put("dataKeys", s.keys());
    return m;
  }

  private static Map<String, Object> container(PodView.ContainerView c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("containerID", c.id().isEmpty() ? "" : "peapod://" + c.id());
    m.put("image", c.image());
    m.put("imageID", c.imageId());
    m.put("ready", c.ready());
    m.put("started", c.started());
    m.put("restartCount", c.restartCount());
    m.put("pid", c.pid());
    Map<String, Object> state = new LinkedHashMap<>();
    switch (c.state()) {
      case RUNNING -> state.put("running", Map.of("startedAt", time(c.startedAt())));
      case TERMINATED -> state.put("terminated", terminated(new PodView.Terminated(c.id(), c.exitCode(), c.reason(),
          c.message(), c.startedAt(), c.finishedAt(), c.logPath())));
      case WAITING -> {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("reason", c.reason());
        if (!c.message().isEmpty()) {
          w.put("message", c.message());
        }
        state.put("waiting", w);
      }
    }
    m.put("state", state);
    c.lastState().ifPresent(t -> m.put("lastState", Map.of("terminated", terminated(t))));
    if (c.sidecar()) {
      m.put("restartPolicy", "Always");
    }
    m.put("logPath", c.logPath());
    return m;
  }

  private static Map<String, Object> terminated(PodView.Terminated t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("exitCode", t.exitCode());
    m.put("reason", t.reason());
    if (!t.message().isEmpty()) {
      m.put("message", t.message());
    }
    m.put("startedAt", time(t.startedAt()));
    m.put("finishedAt", time(t.finishedAt()));
    m.put("containerID", t.containerId().isEmpty() ? "" : "peapod://" + t.containerId());
    m.put("logPath", t.logPath());
    return m;
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("");
  }

  static Map<String, Object> image(ImageRecord r, Optional<ImageConfig> config) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name().toString());
    m.put("repository", r.name().repository());
    m.put("tag", r.name().tag().orElse("<none>"));
    m.put("id", r.config().toString());
    m.put("digest", r.manifest().toString());
    m.put("size", r.size());
    m.put("created", r.created().toString());
    config.ifPresent(c -> {
      Map<String, Object> cfg = new LinkedHashMap<>();
      cfg.put("architecture", c.architecture());
      cfg.put("os", c.os());
      cfg.put("user", c.user());
      cfg.put("env", c.env());
      cfg.put("entrypoint", c.entrypoint());
      cfg.put("cmd", c.cmd());
      cfg.put("workingDir", c.workingDir());
      cfg.put("labels", c.labels());
      cfg.put("layers", c.diffIds().stream().map(Object::toString).toList());
      m.put("config", cfg);
    });
    return m;
  }
}
