package io.peapod.server.api;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.api.v1.EventList;
import io.peapod.base.api.v1.MetadataChange;
import io.peapod.base.api.v1.PodList;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonRecords;
import io.peapod.base.labels.LabelSelector;
import io.peapod.base.json.JsonNode;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.admission.PodDeletion;
import io.peapod.kubelet.logs.ContainerLogReader;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.pod.PodCondition;
import io.peapod.kubelet.pod.PodView;
import io.peapod.sys.Syscalls;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.TerminalSize;
import io.peapod.server.http.HttpRequest;
import io.peapod.server.http.HttpResponse;
import io.peapod.sys.proc.ProcFs;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// The `/v1/pods` routes: list (and watch), get, delete, wait, logs, exec and namespaces of one pod.
final class PodRoutes {
  /// Waiting reasons after which a pod will not become ready without something changing.
  private static final Set<String> FAILING = Set.of("CrashLoopBackOff", "ErrImagePull", "ImagePullBackOff",
      "ErrImageNeverPull", "CreateContainerError", "CreateContainerConfigError", "RunContainerError");
  /// How a container that waits for a sandbox that could not be made says so.
  private static final String SANDBOX_FAILED = "Failed to create pod sandbox";
  /// How long exec and attach wait for a start under way to be recorded (see [#running]).
  private static final Duration START_RECORD_WAIT = Duration.ofSeconds(5);
  private final Kubelet kubelet;
  private final RuntimeService runtime;
  private final PortForward ports;
  private final ContainerLogs logs;

  PodRoutes(Kubelet kubelet, RuntimeService runtime, Syscalls sys) {
    this.logs = new ContainerLogs(kubelet, runtime);
    this.kubelet = kubelet;
    this.runtime = runtime;
    this.ports = new PortForward(sys);
  }

  HttpResponse handle(HttpRequest r, String[] p) throws Exception {
    Params q = new Params(r);
    if (p.length == 2) {
      ApiRoutes.requireMethod(r, "GET");
      Optional<String> ns = q.flag("all") ? Optional.empty() : Optional.of(q.text("namespace").orElse("default"));
      LabelSelector selector = q.text("selector").map(LabelSelector::parse).orElse(LabelSelector.EVERYTHING);
      if (q.flag("watch")) {
        return Watches.pods(kubelet, ns, selector);
      }
      return ApiRoutes.ok(new PodList(kubelet.list(ns, selector).stream()
          .map(v -> ApiJson.pod(v, kubelet.specDocument(v.uid()), kubelet.nodeIp())).toList()));
    }
    if (p.length < 4 || p.length > 5) {
      throw new NotFoundException("pod paths are /v1/pods/{namespace}/{name}[/logs|exec|attach|wait|namespaces|events"
          + "|metadata|portforward|ephemeralcontainers]");
    }
    String ns = p[2];
    String name = p[3];
    String sub = p.length > 4 ? p[4] : "";
    return switch (r.method() + " " + sub) {
      case "GET " -> {
        PodView v = kubelet.get(ns, name);
        yield ApiRoutes.ok(ApiJson.pod(v, kubelet.specDocument(v.uid()), kubelet.nodeIp()));
      }
      case "DELETE " -> delete(q, ns, name);
      case "GET wait" -> await(q, ns, name);
      case "GET namespaces" -> ApiRoutes.ok(PodNamespaces.of(kubelet.get(ns, name), ProcFs.HOST));
      case "GET events" -> {
        PodView pod = kubelet.get(ns, name);
        yield ApiRoutes.ok(new EventList(kubelet.eventsOf(pod.uid()).stream().map(ApiJson::event).toList()));
      }
      case "GET logs" -> logs(q, ns, name);
      case "POST exec" -> exec(r, kubelet.get(ns, name));
      case "POST attach" -> attach(r, kubelet.get(ns, name));
      case "POST ephemeralcontainers" -> {
        Map<String, Object> container = containerSpec(r);
        kubelet.addEphemeralContainer(ns, name, container);
        yield ApiRoutes.ok(Map.of("added", String.valueOf(container.get("name"))));
      }
      case "POST metadata" -> metadata(r, ns, name);
      case "POST portforward" -> {
        PodView pod = kubelet.get(ns, name);
        if (!pod.phase().equals("Running")) {
          throw new FailedPreconditionException("unable to forward port because pod is not running. Current status="
              + pod.phase());
        }
        java.nio.channels.SocketChannel target = ports.connect(pod,
            (int) q.whole("port", 1, 65535).orElseThrow(() -> new InvalidArgumentException("port-forward needs"
                + " ?port=N (1-65535)")).longValue());
        PortForward.relay(target, r.raw(), r.rawOut());
        yield new HttpResponse.Upgraded();
      }
      default -> throw new NotFoundException("no such API path " + r.method() + " " + r.path());
    };
  }

  private HttpResponse delete(Params q, String ns, String name) {
    PodDeletion.Deleted d = kubelet.delete(ns, name, q.whole("grace", 0, Long.MAX_VALUE), q.flag("force"),
        !q.text("wait").equals(Optional.of("false")));
    @SuppressWarnings("unchecked")
    Map<String, Object> body = new LinkedHashMap<>((Map<String, Object>) JsonRecords.tree(ApiJson.pod(d.pod(),
        kubelet.specDocument(d.pod().uid()), kubelet.nodeIp())));
    if (!d.leftovers().isEmpty()) {
      body.put("warnings", d.leftovers().stream().map(l -> "forced deletion could not clean up " + l).toList());
    }
    return ApiRoutes.ok(body);
  }

  /// Waits for `for` (Ready, Deleted, Completed); a pod that fails to get there says why at once.
  private HttpResponse await(Params q, String ns, String name) {
    String what = q.text("for").orElse("Ready");
    Duration timeout = q.duration("timeout").orElse(Duration.ofMinutes(5));
    Optional<PodView> v = switch (what) {
      case "Ready" -> kubelet.await(ns, name, o -> o.isEmpty() || ready(o.get()) || failure(o.get()).isPresent(),
          timeout);
      case "Completed" -> kubelet.await(ns, name, o -> o.isEmpty() || terminal(o.get()) || failure(o.get())
          .isPresent(), timeout);
      case "Deleted" -> kubelet.await(ns, name, Optional::isEmpty, timeout);
      default -> throw new InvalidArgumentException("query parameter for '" + what + "' must be Ready, Completed or"
          + " Deleted");
    };
    if (v.isEmpty()) {
      if (what.equals("Deleted")) {
        return ApiRoutes.ok(Map.of("deleted", ns + "/" + name));
      }
      throw new NotFoundException("pod " + ns + "/" + name + " was deleted while waiting for it to be " + what);
    }
    Optional<String> failed = failure(v.get());
    if (failed.isPresent() && !(what.equals("Completed") && terminal(v.get()))) {
      throw new FailedPreconditionException("pod " + ns + "/" + name + " will not become " + what + ": "
          + failed.get());
    }
    return ApiRoutes.ok(ApiJson.pod(v.get(), kubelet.specDocument(v.get().uid()), kubelet.nodeIp()));
  }

  private static boolean ready(PodView p) {
    return p.conditions().stream().anyMatch(c -> c.type().equals(PodCondition.READY) && c.isTrue());
  }

  private static boolean terminal(PodView p) {
    return p.phase().equals("Succeeded") || p.phase().equals("Failed");
  }

  /// Why the pod is stuck, if it is: a failed phase, or a container waiting for a reason that will not
  /// pass by itself.
  private static Optional<String> failure(PodView p) {
    if (p.phase().equals("Failed")) {
      return Optional.of("it failed (" + p.status() + ")" + (p.message().isEmpty() ? "" : ": " + p.message()));
    }
    for (PodView.ContainerView c : concat(p.initContainers(), p.containers())) {
      if (c.state() == PodView.State.WAITING && c.message().startsWith(SANDBOX_FAILED)) {
        return Optional.of(c.message());
      }
      if (c.state() == PodView.State.WAITING && FAILING.contains(c.reason())) {
        return Optional.of("container " + c.name() + " is " + c.reason() + (c.message().isEmpty() ? ""
            : ": " + c.message()));
      }
      if (c.state() == PodView.State.TERMINATED && c.exitCode() != 0 && p.initContainers().contains(c)) {
        return Optional.of("init container " + c.name() + " failed: " + c.reason() + ", exit code " + c.exitCode());
      }
    }
    return Optional.empty();
  }

  private static List<PodView.ContainerView> concat(List<PodView.ContainerView> a, List<PodView.ContainerView> b) {
    List<PodView.ContainerView> all = new java.util.ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /// The log of the current (or with `previous`, the last ended) instance of a container, checked
  /// before the answer starts, so a missing log is an error and not an empty success.
  private HttpResponse logs(Params q, String ns, String name) {
    // The request's own parameters first: a bad one is the client's error whatever the pod.
    Optional<Instant> since = q.time("sinceTime").or(() -> q.duration("since").map(d -> Instant.now().minus(d)));
    int tail = q.whole("tail", -1, Integer.MAX_VALUE).map(Long::intValue).orElse(-1);
    ContainerLogReader.Options o = new ContainerLogReader.Options(tail, since, q.flag("follow"), q.flag("timestamps"));
    ContainerLogs.Source source = logs.find(ns, name, q.text("container"), q.flag("previous"));
    return new HttpResponse.Streamed(200, "text/plain; charset=utf-8", out -> logs.write(source, o, out));
  }


  /// `POST .../metadata` `{"field": "labels"|"annotations", "set": {k: v}, "remove": [k], "overwrite": bool}`:
  /// what `label` and `annotate` change; answers `{"changed": bool}`.
  private HttpResponse metadata(HttpRequest r, String ns, String name) {
    JsonNode body = Json.parseNode(r.bodyText());
    String field = body.get("field").text("");
    if (!field.equals("labels") && !field.equals("annotations")) {
      throw new InvalidArgumentException("metadata field '" + field + "' must be labels or annotations");
    }
    Map<String, String> set = new LinkedHashMap<>();
    body.get("set").keys().forEach(k -> set.put(k, body.get("set").get(k).text("")));
    boolean changed = kubelet.setMetadata(ns, name, field, set, body.get("remove").strings(),
        body.get("overwrite").asBoolean(false));
    return ApiRoutes.ok(new MetadataChange(changed));
  }

  /// An ephemeral container's spec, as a pod manifest writes one.
  @SuppressWarnings("unchecked")
  private static Map<String, Object> containerSpec(HttpRequest r) {
    Object raw;
    try {
      raw = Json.parse(r.body().length == 0 ? "{}" : r.bodyText());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("ephemeral container request body: " + e.getMessage(), e);
    }
    if (!(raw instanceof Map<?, ?> m)) {
      throw new InvalidArgumentException("ephemeral container request body must be a JSON object (a container spec)");
    }
    return (Map<String, Object>) m;
  }

  private static JsonNode body(HttpRequest r, String what) {
    try {
      return Json.parseNode(r.body().length == 0 ? "{}" : r.bodyText());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(what + " request body: " + e.getMessage(), e);
    }
  }

  private HttpResponse exec(HttpRequest r, PodView pod) throws Exception {
    JsonNode body = body(r, "exec");
    PodView.ContainerView c = running(pod, body);
    ExecProcess process = runtime.exec(c.id(), body.get("command").strings(), terminal(body));
    new ExecSession(process, r.raw(), r.rawOut()).run(body.get("stdin").asBoolean(false));
    return new HttpResponse.Upgraded();
  }

  /// kubectl attach: the container's own streams, in the same frames as exec; the session's end leaves
  /// the container running.
  private HttpResponse attach(HttpRequest r, PodView pod) throws Exception {
    JsonNode body = body(r, "attach");
    PodView.ContainerView c = running(pod, body);
    boolean stdin = body.get("stdin").asBoolean(false);
    ExecProcess session = runtime.attach(c.id(), stdin, terminal(body));
    new ExecSession(session, r.raw(), r.rawOut()).run(stdin);
    return new HttpResponse.Upgraded();
  }

  private PodView.ContainerView running(PodView pod, JsonNode body) throws InterruptedException {
    PodManifest spec = kubelet.spec(pod.namespace(), pod.name());
    Optional<String> name = body.get("container").text();
    PodView.ContainerView c = container(pod, spec, name);
    // The kubelet runs a container's process in the same step that creates it, and records the start once
    // the OCI runtime returns: its output can be read a moment before. An instance made but not yet recorded
    // as started is waited for, briefly.
    long deadline = System.nanoTime() + START_RECORD_WAIT.toNanos();
    while (c.state() == PodView.State.WAITING && !c.id().isEmpty() && c.reason().equals("ContainerCreating")
        && System.nanoTime() < deadline) {
      Thread.sleep(20);
      c = container(kubelet.get(pod.namespace(), pod.name()), spec, name);
    }
    if (c.state() != PodView.State.RUNNING) {
      throw new FailedPreconditionException("container " + c.name() + " in pod " + pod.name() + " is not running ("
          + c.reason() + ")");
    }
    return c;
  }

  private static Optional<TerminalSize> terminal(JsonNode body) {
    return body.get("tty").asBoolean(false)
        ? Optional.of(new TerminalSize((int) body.get("rows").asLong(0), (int) body.get("columns").asLong(0)))
        : Optional.empty();
  }

  /// The named container (init or app), or the pod's first app container, as kubectl defaults.
  public static PodView.ContainerView container(PodView pod, PodManifest spec, Optional<String> name) {
    if (name.isEmpty() || name.get().isEmpty()) {
      String first = spec.containers().getFirst().name();
      return pod.containers().stream().filter(c -> c.name().equals(first)).findFirst().orElseThrow();
    }
    List<String> names = new java.util.ArrayList<>(spec.allContainers().stream().map(PodManifest.ContainerSpec::name)
        .toList());
    spec.ephemeralContainers().forEach(e -> names.add(e.container().name()));
    return concat(concat(pod.initContainers(), pod.containers()), pod.ephemeralContainers()).stream()
        .filter(c -> c.name().equals(name.get())).findFirst()
        .orElseThrow(() -> new NotFoundException("container " + name.get() + " is not in pod " + pod.name()
            + "; it has " + names));
  }
}
