package io.peapod.server.api;

import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.store.ImageRecord;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.secret.SecretStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// The JSON shapes of the API's answers. Pods follow the Kubernetes Pod object's field names
/// (`metadata`, `spec`-less `status` with `containerStatuses`) so `-o yaml|json` reads familiar.
final class ApiJson {
  private ApiJson() {}

  static Map<String, Object> pod(PodView p) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", p.name());
    meta.put("namespace", p.namespace());
    meta.put("uid", p.uid());
    meta.put("creationTimestamp", p.created().toString());
    Map<String, Object> status = new LinkedHashMap<>();
    status.put("phase", p.phase());
    status.put("display", p.status());
    status.put("ready", p.ready());
    status.put("total", p.total());
    status.put("restarts", p.restarts());
    status.put("podIP", p.ip());
    status.put("hostIP", "127.0.0.1");
    status.put("nodeName", p.node());
    status.put("sandboxId", p.sandboxId());
    status.put("pausePid", p.pausePid());
    status.put("netnsPath", p.netnsPath());
    status.put("shareProcessNamespace", p.sharedPid());
    status.put("hostNetwork", p.hostNetwork());
    status.put("logDirectory", p.logDirectory());
    status.put("containerStatuses", p.containers().stream().map(ApiJson::container).toList());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", "Pod");
    m.put("metadata", meta);
    m.put("status", status);
    return m;
  }

  static Map<String, Object> secret(SecretStore.SecretRow s) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("name", s.name());
    meta.put("namespace", s.namespace());
    meta.put("creationTimestamp", s.created().toString());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiVersion", "v1");
    m.put("kind", "Secret");
    m.put("metadata", meta);
    m.put("type", s.type());
    m.put("dataKeys", s.keys());
    return m;
  }

  private static Map<String, Object> container(PodView.ContainerView c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", c.name());
    m.put("containerID", c.id().isEmpty() ? "" : "peapod://" + c.id());
    m.put("image", c.image());
    m.put("imageID", c.imageId());
    m.put("ready", c.state() == PodView.State.RUNNING);
    m.put("restartCount", c.restartCount());
    m.put("pid", c.pid());
    Map<String, Object> state = new LinkedHashMap<>();
    switch (c.state()) {
      case RUNNING -> state.put("running", Map.of("startedAt", time(c.startedAt())));
      case TERMINATED -> {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("exitCode", c.exitCode());
        t.put("reason", c.reason());
        t.put("startedAt", time(c.startedAt()));
        t.put("finishedAt", time(c.finishedAt()));
        state.put("terminated", t);
      }
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
    m.put("logPath", c.logPath());
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
