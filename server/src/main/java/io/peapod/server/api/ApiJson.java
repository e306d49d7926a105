package io.peapod.server.api;

import io.peapod.image.manifest.ImageConfig;
import io.peapod.image.store.ImageRecord;
import io.peapod.kubelet.event.Event;
import io.peapod.kubelet.manifest.OwnerReference;
import io.peapod.kubelet.pod.PodCondition;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.data.DataStore;
import io.peapod.base.api.v1.ContainerState;
import io.peapod.base.api.v1.ContainerStatus;
import io.peapod.base.api.v1.DataDetail;
import io.peapod.base.api.v1.DataSummary;
import io.peapod.base.api.v1.Image;
import io.peapod.base.api.v1.ObjectMeta;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodStatus;
import io.peapod.base.api.v1.Workload;
import io.peapod.base.api.v1.WorkloadStatus;
import io.peapod.base.json.JsonNode;
import io.peapod.base.json.JsonRecords;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The JSON shapes of the API's answers. Pods follow the Kubernetes Pod object's field names
/// (`metadata`, `spec`-less `status` with `containerStatuses`) so `-o yaml|json` reads familiar.
public final class ApiJson {
  private static final System.Logger LOG = System.getLogger(ApiJson.class.getName());

  private ApiJson() {}

  /// A workload as the API server returns it: the applied object with identity filled in, and status.
  /// The controller's status is read strictly: a field the shared record lacks is a bug, and is logged;
  /// the answer then carries the fields the record has (a status an older daemon stored stays readable).
  static Workload workload(io.peapod.controllers.object.Workload w) {
    ObjectMeta meta = new ObjectMeta(w.name(), w.namespace(), w.uid(), Optional.of(w.generation()),
        Optional.of(w.created()), w.deletion(), w.labels(), w.annotations(), owners(w.ownerReferences()));
    return new Workload(w.kind().apiVersion(), w.kind().kindName(), meta,
        new JsonNode(w.object().getOrDefault("spec", Map.of())),
        status(w));
  }

  private static WorkloadStatus status(io.peapod.controllers.object.Workload w) {
    JsonNode stored = new JsonNode(w.status());
    try {
      return JsonRecords.readStrict(stored, WorkloadStatus.class);
    } catch (IllegalStateException e) {
      LOG.log(System.Logger.Level.WARNING, "the status of " + w.kind().kindName() + " " + w.namespace() + "/"
          + w.name() + " does not fit the API's WorkloadStatus: " + e.getMessage());
      return JsonRecords.read(stored, WorkloadStatus.class);
    }
  }

  /// A pod as the API shows it: metadata, `spec` as its document has it (empty once the pod is gone), status.
  public static Pod pod(PodView p, Map<String, Object> spec, String hostIp) {
    Map<String, String> annotations = new LinkedHashMap<>(p.annotations());
    if (!p.source().equals("api")) {
      annotations.put("kubernetes.io/config.source", "file");
      annotations.put("kubernetes.io/config.mirror", p.source());
    }
    ObjectMeta meta = new ObjectMeta(p.name(), p.namespace(), p.uid(), Optional.empty(), Optional.of(p.created()),
        p.deletionTimestamp(), p.labels(), annotations, owners(p.ownerReferences()));
    Optional<String> reason = p.reason().isEmpty() ? Optional.empty() : Optional.of(p.reason());
    PodStatus status = new PodStatus(p.phase(), reason, reason.map(r -> p.message()),
        p.conditions().stream().map(ApiJson::condition).toList(), hostIp, p.ip(), p.startTime(), p.qosClass(),
        containers(p.initContainers()), containers(p.containers()), containers(p.ephemeralContainers()), p.status(),
        p.ready(), p.total(), p.restarts(), p.lastRestart(), p.node(), p.sandboxId(), p.pausePid(), p.netnsPath(),
        p.sharedPid(), p.hostNetwork(), p.logDirectory());
    return Pod.of(meta, spec.isEmpty() ? Optional.empty() : Optional.of(new JsonNode(spec)), status);
  }

  static List<io.peapod.base.api.v1.OwnerReference> owners(List<OwnerReference> refs) {
    return refs.stream().map(o -> new io.peapod.base.api.v1.OwnerReference(o.apiVersion(), o.kind(), o.name(),
        o.uid(), o.controller(), o.blockOwnerDeletion())).toList();
  }

  private static io.peapod.base.api.v1.PodCondition condition(PodCondition c) {
    return new io.peapod.base.api.v1.PodCondition(c.type(), c.status(), c.lastTransitionTime(), text(c.reason()),
        text(c.message()));
  }

  private static Optional<String> text(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  public static io.peapod.base.api.v1.Event event(Event e) {
    return new io.peapod.base.api.v1.Event("v1", "Event", new io.peapod.base.api.v1.Event.EventMeta(e.pod() + "."
        + Long.toHexString(e.id()), e.namespace()), new io.peapod.base.api.v1.Event.InvolvedObject("Pod", e.pod(),
        e.namespace(), e.podUid()), e.type(), e.reason(), e.message(), e.count(), e.firstSeen(), e.lastSeen(),
        new io.peapod.base.api.v1.Event.Source("kubelet"));
  }

  /// One ConfigMap or Secret as `describe` shows it: a Secret's keys with their sizes only; a ConfigMap's
  /// text values, and the sizes of values that are not UTF-8 text (`binaryData`).
  static DataDetail dataDetail(io.peapod.kubelet.manifest.DataObject o) {
    Map<String, Long> sizes = new java.util.TreeMap<>();
    Map<String, String> text = new java.util.TreeMap<>();
    Map<String, Long> binary = new java.util.TreeMap<>();
    boolean secret = o.kind() == io.peapod.kubelet.manifest.EnvVar.ObjectKind.SECRET;
    o.data().forEach((k, v) -> {
      java.nio.charset.CharsetDecoder utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder();
      try {
        String value = utf8.decode(java.nio.ByteBuffer.wrap(v)).toString();
        if (secret) {
          sizes.put(k, (long) v.length);
        } else {
          text.put(k, value);
        }
      } catch (java.nio.charset.CharacterCodingException notText) {
        (secret ? sizes : binary).put(k, (long) v.length);
      }
    });
    ObjectMeta meta = new ObjectMeta(o.name(), o.namespace(), "", Optional.empty(), Optional.empty(), Optional.empty(),
        Map.of(), Map.of(), List.of());
    return new DataDetail("v1", o.kind().kind(), meta, secret ? Optional.of(o.type()) : Optional.empty(), sizes, text,
        binary);
  }

  static DataSummary dataObject(DataStore.DataRow s) {
    ObjectMeta meta = new ObjectMeta(s.name(), s.namespace(), "", Optional.empty(), Optional.of(s.created()),
        Optional.empty(), Map.of(), Map.of(), List.of());
    return new DataSummary("v1", s.kind().kind(), meta, s.kind() == io.peapod.kubelet.manifest.EnvVar.ObjectKind.SECRET
        ? Optional.of(s.type()) : Optional.empty(), s.keys());
  }

  private static List<ContainerStatus> containers(List<PodView.ContainerView> views) {
    return views.stream().map(ApiJson::container).toList();
  }

  private static ContainerStatus container(PodView.ContainerView c) {
    ContainerState state = switch (c.state()) {
      case RUNNING -> ContainerState.running(c.startedAt());
      case TERMINATED -> ContainerState.terminated(terminated(new PodView.Terminated(c.id(), c.exitCode(), c.reason(),
          c.message(), c.startedAt(), c.finishedAt(), c.logPath())));
      case WAITING -> ContainerState.waiting(c.reason(), text(c.message()));
    };
    return new ContainerStatus(c.name(), containerId(c.id()), c.image(), c.imageId(), c.ready(), c.started(),
        c.restartCount(), c.pid(), state, c.lastState().map(t -> new ContainerStatus.LastState(terminated(t))),
        c.sidecar() ? Optional.of("Always") : Optional.empty(), c.logPath());
  }

  private static ContainerState.Terminated terminated(PodView.Terminated t) {
    return new ContainerState.Terminated(t.exitCode(), t.reason(), text(t.message()), t.startedAt(), t.finishedAt(),
        containerId(t.containerId()), t.logPath());
  }

  private static String containerId(String id) {
    return id.isEmpty() ? "" : "peapod://" + id;
  }

  static Image image(ImageRecord r, Optional<ImageConfig> config) {
    return new Image(r.name().toString(), r.name().repository(), r.name().tag().orElse("<none>"), r.config().toString(),
        r.manifest().toString(), r.size(), r.created(), config.map(c -> new Image.Config(c.architecture(), c.os(),
            c.user(), c.env(), c.entrypoint(), c.cmd(), c.workingDir(), c.labels(), c.diffIds().stream()
            .map(Object::toString).toList())));
  }
}
