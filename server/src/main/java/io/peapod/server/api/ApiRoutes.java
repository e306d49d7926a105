package io.peapod.server.api;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.image.ImageService;
import io.peapod.image.store.ImageRecord;
import io.peapod.kubelet.pod.ApplyResult;
import io.peapod.kubelet.pod.PodManager;
import io.peapod.kubelet.pod.PodView;
import io.peapod.kubelet.secret.SecretStore;
import io.peapod.runtime.RuntimeService;
import io.peapod.runtime.TerminalExec;
import io.peapod.runtime.api.ContainerState;
import io.peapod.server.http.HttpHandler;
import io.peapod.server.http.HttpRequest;
import io.peapod.server.http.HttpResponse;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// The route table of peapod's own API (see docs/api.md). Handlers parse, call one component, and
/// answer JSON; they hold no logic of their own.
public final class ApiRoutes implements HttpHandler {
  private final PodManager pods;
  private final SecretStore secrets;
  private final ImageService images;
  private final RuntimeService runtime;
  private final Map<String, Object> version;

  public ApiRoutes(PodManager pods, SecretStore secrets, ImageService images, RuntimeService runtime,
      Map<String, Object> version) {
    this.pods = pods;
    this.secrets = secrets;
    this.images = images;
    this.runtime = runtime;
    this.version = Map.copyOf(version);
  }

  @Override
  public HttpResponse handle(HttpRequest r) throws Exception {
    String[] p = r.path().replaceAll("^/+|/+$", "").split("/");
    String route = r.method() + " " + String.join("/", p);
    if (p.length < 2 || !p[0].equals("v1")) {
      throw new NotFoundException("no such API path " + r.path() + "; see docs/api.md");
    }
    return switch (p[1]) {
      case "version" -> ok(version);
      case "apply" -> {
        requireMethod(r, "POST");
        ApplyResult a = pods.apply(r.bodyText(), r.param("source").orElse("(stdin)"));
        yield ok(Map.of("results", a.results(), "warnings", a.warnings()));
      }
      case "delete" -> {
        requireMethod(r, "POST");
        ApplyResult a = pods.deleteManifest(r.bodyText(), r.param("source").orElse("(stdin)"),
            r.param("grace").map(Long::parseLong));
        yield ok(Map.of("results", a.results(), "warnings", a.warnings()));
      }
      case "pods" -> pods(r, p);
      case "secrets" -> secrets(r, p);
      case "images" -> p.length > 2 && p[2].equals("pull") ? pull(r) : p.length > 2 && p[2].equals("prune")
          ? prune(r) : images(r);
      default -> throw new NotFoundException("no such API path " + route);
    };
  }

  private HttpResponse pods(HttpRequest r, String[] p) throws Exception {
    if (p.length == 2) {
      requireMethod(r, "GET");
      Optional<String> ns = r.param("all").isPresent() ? Optional.empty()
          : Optional.of(r.param("namespace").orElse("default"));
      return ok(Map.of("items", pods.list(ns).stream().map(ApiJson::pod).toList()));
    }
    if (p.length < 4) {
      throw new NotFoundException("pod paths are /v1/pods/{namespace}/{name}");
    }
    String ns = p[2];
    String name = p[3];
    String sub = p.length > 4 ? p[4] : "";
    return switch (r.method() + " " + sub) {
      case "GET " -> ok(ApiJson.pod(pods.get(ns, name)));
      case "DELETE " -> ok(ApiJson.pod(pods.delete(ns, name, r.param("grace").map(Long::parseLong))));
      case "GET namespaces" -> ok(NamespaceReport.of(pods.get(ns, name), ProcFs.HOST));
      case "GET logs" -> logs(r, pods.get(ns, name));
      case "POST exec" -> exec(r, pods.get(ns, name));
      default -> throw new NotFoundException("no such API path " + r.method() + " " + r.path());
    };
  }

  /// Secrets are listed by name, type and number of keys; their values never leave the daemon.
  private HttpResponse secrets(HttpRequest r, String[] p) {
    if (p.length == 2) {
      requireMethod(r, "GET");
      Optional<String> ns = r.param("all").isPresent() ? Optional.empty()
          : Optional.of(r.param("namespace").orElse("default"));
      return ok(Map.of("items", secrets.list(ns).stream().map(ApiJson::secret).toList()));
    }
    if (p.length != 4) {
      throw new NotFoundException("secret paths are /v1/secrets/{namespace}/{name}");
    }
    requireMethod(r, "DELETE");
    if (!secrets.delete(p[2], p[3])) {
      throw new NotFoundException("secret " + p[2] + "/" + p[3] + " not found");
    }
    return ok(Map.of("deleted", p[2] + "/" + p[3]));
  }

  private HttpResponse logs(HttpRequest r, PodView pod) {
    PodView.ContainerView c = container(pod, r.param("container"));
    boolean follow = r.param("follow").map(Boolean::parseBoolean).orElse(false);
    int tail = r.param("tail").map(Integer::parseInt).orElse(-1);
    boolean timestamps = r.param("timestamps").map(Boolean::parseBoolean).orElse(false);
    return new HttpResponse.Streamed(200, "text/plain; charset=utf-8", out -> CriLogReader.stream(Path.of(c.logPath()),
        tail, follow, timestamps, () -> runtime.containerStatus(c.id()).state() == ContainerState.RUNNING, out));
  }

  private HttpResponse exec(HttpRequest r, PodView pod) throws Exception {
    JsonNode body = Json.parseNode(r.body().length == 0 ? "{}" : r.bodyText());
    PodView.ContainerView c = container(pod, body.get("container").text());
    List<String> command = body.get("command").strings();
    boolean stdin = body.get("stdin").asBoolean(false);
    if (body.get("tty").asBoolean(false)) {
      TerminalExec t = runtime.execTerminal(c.id(), command, (int) body.get("rows").asLong(0),
          (int) body.get("columns").asLong(0));
      new ExecSession(new ExecSession.Command(t.output(), Optional.empty(), t.input(), t::waitFor, t::destroy,
          t::close), r.raw(), r.rawOut()).run(stdin);
    } else {
      Process p = runtime.exec(c.id(), command);
      new ExecSession(new ExecSession.Command(p.getInputStream(), Optional.of(p.getErrorStream()),
          p.getOutputStream(), p::waitFor, p::destroy, () -> { }), r.raw(), r.rawOut()).run(stdin);
    }
    return new HttpResponse.Upgraded();
  }

  /// The named container, or the pod's first one, as kubectl defaults.
  private static PodView.ContainerView container(PodView pod, Optional<String> name) {
    if (name.isEmpty() || name.get().isEmpty()) {
      return pod.containers().getFirst();
    }
    return pod.containers().stream().filter(c -> c.name().equals(name.get())).findFirst()
        .orElseThrow(() -> new NotFoundException("container " + name.get() + " is not in pod " + pod.name()
            + "; it has " + pod.containers().stream().map(PodView.ContainerView::name).toList()));
  }

  /// Streams one JSON object per line: `{"progress": ...}` while pulling, then `{"image": ...}` or
  /// `{"error": ...}` (the status line was sent before the outcome was known).
  private HttpResponse pull(HttpRequest r) {
    requireMethod(r, "POST");
    String ref = r.param("ref").orElseThrow(() -> new InvalidArgumentException("pull needs ?ref=IMAGE"));
    return new HttpResponse.Streamed(200, "application/x-ndjson", out -> {
      Object lock = new Object();
      try {
        ImageRecord rec = images.pull(ref, p -> {
          synchronized (lock) {
            line(out, Map.of("progress", Map.of("layer", p.layer(), "status", p.status(), "current", p.current(),
                "total", p.total())));
          }
        });
        line(out, Map.of("image", ApiJson.image(rec, Optional.empty())));
      } catch (PeapodException e) {
        line(out, Map.of("error", Map.of("code", e.code().wireName(), "message", e.getMessage())));
      }
    });
  }

  private static void line(OutputStream out, Map<String, Object> obj) {
    try {
      out.write((Json.write(obj) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("client went away", e);
    }
  }

  private HttpResponse prune(HttpRequest r) {
    requireMethod(r, "POST");
    List<ImageRecord> removed = images.prune();
    return ok(Map.of("items", removed.stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
  }

  private HttpResponse images(HttpRequest r) {
    Optional<String> ref = r.param("ref");
    return switch (r.method()) {
      case "GET" -> {
        if (ref.isPresent()) {
          ImageRecord rec = images.get(ref.get());
          yield ok(ApiJson.image(rec, Optional.of(images.config(rec))));
        }
        yield ok(Map.of("items", images.list().stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
      }
      case "POST" -> {
        JsonNode b = Json.parseNode(r.bodyText());
        Path path = Path.of(b.get("path").text().orElseThrow(() -> new InvalidArgumentException("import needs a path")));
        List<ImageRecord> done = b.get("rootfs").asBoolean(false)
            ? List.of(images.importRootfs(path, b.get("tag").text().orElseThrow(() -> new InvalidArgumentException(
                "importing a rootfs needs --tag NAME")), b.get("changes").strings()))
            : images.importArchive(path, b.get("tag").text());
        yield ok(Map.of("items", done.stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
      }
      case "DELETE" -> {
        ImageRecord removed = images.remove(ref.orElseThrow(() -> new InvalidArgumentException("delete needs ?ref=")));
        yield ok(ApiJson.image(removed, Optional.empty()));
      }
      default -> throw new InvalidArgumentException("method " + r.method() + " not allowed on /v1/images");
    };
  }

  private static void requireMethod(HttpRequest r, String method) {
    if (!r.method().equals(method)) {
      throw new InvalidArgumentException("method " + r.method() + " not allowed on " + r.path() + "; use " + method);
    }
  }

  private static HttpResponse ok(Map<String, Object> body) {
    return HttpResponse.json(200, Json.write(new LinkedHashMap<>(body)));
  }
}
