package io.peapod.server.api;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.api.v1.ApplyAnswer;
import io.peapod.base.api.v1.DataList;
import io.peapod.base.api.v1.Deleted;
import io.peapod.base.api.v1.EventList;
import io.peapod.base.api.v1.Explanation;
import io.peapod.base.api.v1.ImageList;
import io.peapod.base.api.v1.PodUsage;
import io.peapod.base.api.v1.PullLine;
import io.peapod.base.api.v1.UsageList;
import io.peapod.base.api.v1.Version;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.controllers.Controllers;
import io.peapod.controllers.apply.ObjectApplier;
import io.peapod.image.ImageService;
import io.peapod.image.store.ImageRecord;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.manifest.EnvVar;
import io.peapod.kubelet.pod.ApplyResult;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.server.http.HttpHandler;
import io.peapod.server.http.HttpRequest;
import io.peapod.server.http.HttpResponse;
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
  private final Kubelet kubelet;
  private final ObjectApplier applier;
  private final PodRoutes pods;
  private final WorkloadRoutes workloads;
  private final ImageService images;
  private final Version version;

  public ApiRoutes(Kubelet kubelet, Controllers controllers, ImageService images,
      RuntimeService runtime, Version version, io.peapod.sys.Syscalls sys) {
    this.kubelet = kubelet;
    this.applier = new ObjectApplier(kubelet, controllers);
    this.pods = new PodRoutes(kubelet, runtime, sys);
    this.workloads = new WorkloadRoutes(controllers);
    this.images = images;
    this.version = version;
  }

  @Override
  public HttpResponse handle(HttpRequest r) throws Exception {
    String[] p = r.path().replaceAll("^/+|/+$", "").split("/");
    if (p.length < 2 || !p[0].equals("v1")) {
      throw new NotFoundException("no such API path " + r.path() + "; see docs/api.md");
    }
    return switch (p[1]) {
      case "version" -> ok(version);
      case "apply" -> {
        requireMethod(r, "POST");
        Params q = new Params(r);
        ApplyResult a = applier.apply(r.bodyText(), r.param("source").orElse("(stdin)"), q.text("namespace"),
            dryRun(q));
        yield ok(applied(a));
      }
      case "delete" -> {
        requireMethod(r, "POST");
        Params q = new Params(r);
        ApplyResult a = applier.delete(r.bodyText(), r.param("source").orElse("(stdin)"), q.text("namespace"),
            q.whole("grace", 0, Long.MAX_VALUE), q.flag("force"), WorkloadRoutes.cascade(q));
        yield ok(applied(a));
      }
      case "pods" -> pods.handle(r, p);
      case "workloads" -> workloads.handle(r, p);
      case "events" -> events(r);
      case "top" -> top(r);
      case "explain" -> {
        requireMethod(r, "GET");
        var e = io.peapod.kubelet.manifest.Explain.of(new Params(r).text("field").orElseThrow(
            () -> new InvalidArgumentException("explain needs ?field=KIND[.FIELD...]")));
        yield ok(new Explanation(e.kind(), e.path(), e.type(), e.fields().stream()
            .map(f -> new Explanation.Field(f.name(), f.type(), f.actedOn())).toList()));
      }
      case "secrets" -> data(r, p, EnvVar.ObjectKind.SECRET);
      case "configmaps" -> data(r, p, EnvVar.ObjectKind.CONFIG_MAP);
      case "images" -> p.length > 2 && p[2].equals("pull") ? pull(r) : p.length > 2 && p[2].equals("prune")
          ? prune(r) : images(r);
      default -> throw new NotFoundException("no such API path " + r.method() + " " + r.path() + "; see docs/api.md");
    };
  }

  private static ObjectApplier.DryRun dryRun(Params q) {
    String d = q.text("dryRun").orElse("none");
    return switch (d) {
      case "none", "false" -> ObjectApplier.DryRun.NONE;
      case "client" -> ObjectApplier.DryRun.CLIENT;
      case "server" -> ObjectApplier.DryRun.SERVER;
      default -> throw new InvalidArgumentException("dryRun '" + d + "' must be none, client or server");
    };
  }

  private static ApplyAnswer applied(ApplyResult a) {
    return new ApplyAnswer(a.results(), a.warnings(), a.objects().stream()
        .map(o -> new ApplyAnswer.Applied(o.kind(), o.namespace(), o.name(), o.action())).toList());
  }

  /// `GET /v1/top?namespace=NS|all&name=POD`: what each pod's running containers use now.
  private HttpResponse top(HttpRequest r) {
    requireMethod(r, "GET");
    Params q = new Params(r);
    Optional<String> ns = q.flag("all") ? Optional.empty() : Optional.of(q.text("namespace").orElse("default"));
    try {
      return ok(new UsageList(kubelet.top(ns, q.text("name")).stream().map(u -> new PodUsage(u.namespace(), u.name(),
          u.cpuMilli(), u.memoryBytes(), u.containers().stream().map(c -> new PodUsage.Container(c.name(),
              c.cpuMilli(), c.memoryBytes())).toList())).toList()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new io.peapod.base.error.UnavailableException("interrupted while sampling usage", e);
    }
  }

  private HttpResponse events(HttpRequest r) {
    requireMethod(r, "GET");
    Params q = new Params(r);
    Optional<String> ns = q.flag("all") ? Optional.empty() : Optional.of(q.text("namespace").orElse("default"));
    if (q.flag("watch")) {
      return Watches.events(kubelet, ns);
    }
    return ok(new EventList(kubelet.events(ns).stream().map(ApiJson::event).toList()));
  }

  /// ConfigMaps and Secrets are listed by name, type and number of keys; their values never leave the daemon.
  private HttpResponse data(HttpRequest r, String[] p, EnvVar.ObjectKind kind) {
    if (p.length == 2) {
      requireMethod(r, "GET");
      Optional<String> ns = r.param("all").isPresent() ? Optional.empty()
          : Optional.of(r.param("namespace").orElse("default"));
      return ok(new DataList(kubelet.dataObjects().store().list(kind, ns).stream().map(ApiJson::dataObject).toList()));
    }
    if (p.length != 4) {
      throw new NotFoundException(kind.resource() + " paths are /v1/" + p[1] + "/{namespace}/{name}");
    }
    if (r.method().equals("GET")) {
      return ok(ApiJson.dataDetail(kubelet.dataObjects().store().find(kind, p[2], p[3]).orElseThrow(
          () -> new NotFoundException(kind.resource() + " " + p[2] + "/" + p[3] + " not found"))));
    }
    requireMethod(r, "DELETE");
    if (!kubelet.dataObjects().delete(kind, p[2], p[3])) {
      throw new NotFoundException(kind.resource() + " " + p[2] + "/" + p[3] + " not found");
    }
    return ok(new Deleted(List.of()));
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
            line(out, new PullLine(Optional.of(new PullLine.Progress(p.layer(), p.status(), p.current(), p.total())),
                Optional.empty(), Optional.empty()));
          }
        });
        line(out, new PullLine(Optional.empty(), Optional.of(ApiJson.image(rec, Optional.empty())), Optional.empty()));
      } catch (PeapodException e) {
        line(out, new PullLine(Optional.empty(), Optional.empty(), Optional.of(new PullLine.Failure(
            e.code().wireName(), e.getMessage()))));
      }
    });
  }

  private static void line(OutputStream out, Record obj) {
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
    return ok(new ImageList(removed.stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
  }

  private HttpResponse images(HttpRequest r) {
    Optional<String> ref = r.param("ref");
    return switch (r.method()) {
      case "GET" -> {
        if (ref.isPresent()) {
          ImageRecord rec = images.get(ref.get());
          yield ok(ApiJson.image(rec, Optional.of(images.config(rec))));
        }
        yield ok(new ImageList(images.list().stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
      }
      case "POST" -> {
        JsonNode b = body(r);
        Path path = Path.of(b.get("path").text().orElseThrow(() -> new InvalidArgumentException("import needs a path")));
        List<ImageRecord> done = b.get("rootfs").asBoolean(false)
            ? List.of(images.importRootfs(path, b.get("tag").text().orElseThrow(() -> new InvalidArgumentException(
                "importing a rootfs needs --tag NAME")), b.get("changes").strings()))
            : images.importArchive(path, b.get("tag").text());
        yield ok(new ImageList(done.stream().map(i -> ApiJson.image(i, Optional.empty())).toList()));
      }
      case "DELETE" -> {
        ImageRecord removed = images.remove(ref.orElseThrow(() -> new InvalidArgumentException("delete needs ?ref=")));
        yield ok(ApiJson.image(removed, Optional.empty()));
      }
      default -> throw new InvalidArgumentException("method " + r.method() + " not allowed on /v1/images");
    };
  }

  private static JsonNode body(HttpRequest r) {
    try {
      return Json.parseNode(r.bodyText());
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException("request body: " + e.getMessage(), e);
    }
  }

  static void requireMethod(HttpRequest r, String method) {
    if (!r.method().equals(method)) {
      throw new InvalidArgumentException("method " + r.method() + " not allowed on " + r.path() + "; use " + method);
    }
  }

  static HttpResponse ok(Map<String, Object> body) {
    return HttpResponse.json(200, Json.write(new LinkedHashMap<>(body)));
  }

  /// A typed document (a record of [io.peapod.base.api.v1]).
  static HttpResponse ok(Record document) {
    return HttpResponse.json(200, Json.write(document));
  }
}
