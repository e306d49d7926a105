package io.peapod.server.api;

import io.peapod.base.api.v1.RevisionList;
import io.peapod.base.api.v1.WorkloadDetail;
import io.peapod.base.api.v1.WorkloadList;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.labels.LabelSelector;
import io.peapod.controllers.Controllers;
import io.peapod.controllers.deployment.Revisions;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.Workload;
import io.peapod.server.http.HttpRequest;
import io.peapod.server.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;

/// The `/v1/workloads/{kind}` routes: list, get (with the pods and ReplicaSets it owns), delete with a
/// cascade, scale, and a Deployment's rollout history, undo and restart.
final class WorkloadRoutes {
  private final Controllers controllers;

  WorkloadRoutes(Controllers controllers) {
    this.controllers = controllers;
  }

  HttpResponse handle(HttpRequest r, String[] p) {
    if (p.length < 3) {
      throw new NotFoundException("workload paths are /v1/workloads/{kind}[/{namespace}/{name}[/scale|history|undo|"
          + "restart]]");
    }
    Kind kind = Kind.requireResource(p[2]);
    Params q = new Params(r);
    if (p.length == 3) {
      ApiRoutes.requireMethod(r, "GET");
      Optional<String> ns = q.flag("all") ? Optional.empty() : Optional.of(q.text("namespace").orElse("default"));
      LabelSelector selector = q.text("selector").map(LabelSelector::parse).orElse(LabelSelector.EVERYTHING);
      return ApiRoutes.ok(new WorkloadList(controllers.list(Optional.of(kind), ns, selector).stream()
          .map(ApiJson::workload).toList()));
    }
    if (p.length < 5 || p.length > 6) {
      throw new NotFoundException("workload paths are /v1/workloads/{kind}/{namespace}/{name}[/scale|history|undo|"
          + "restart]");
    }
    String ns = p[3];
    String name = p[4];
    String sub = p.length > 5 ? p[5] : "";
    return switch (r.method() + " " + sub) {
      case "GET " -> ApiRoutes.ok(detail(controllers.get(kind, ns, name)));
      case "DELETE " -> ApiRoutes.ok(ApiJson.workload(controllers.delete(kind, ns, name, cascade(q))));
      case "POST scale" -> ApiRoutes.ok(ApiJson.workload(controllers.scale(kind, ns, name,
          (int) q.whole("replicas", 0, 10_000).orElseThrow(() -> new InvalidArgumentException(
              "scale needs ?replicas=N")).longValue())));
      case "GET history" -> ApiRoutes.ok(new RevisionList(controllers.history(ns, requireDeployment(kind, name))
          .stream().map(WorkloadRoutes::revision).toList()));
      case "POST undo" -> ApiRoutes.ok(ApiJson.workload(controllers.undo(ns, requireDeployment(kind, name),
          q.whole("toRevision", 0, Long.MAX_VALUE).orElse(0L))));
      case "POST restart" -> ApiRoutes.ok(ApiJson.workload(controllers.restart(kind, ns, name)));
      default -> throw new NotFoundException("no such API path " + r.method() + " " + r.path());
    };
  }

  private static String requireDeployment(Kind kind, String name) {
    if (kind != Kind.DEPLOYMENT) {
      throw new InvalidArgumentException("rollout history and undo work on deployments, not " + kind.plural());
    }
    return name;
  }

  static Controllers.Cascade cascade(Params q) {
    String c = q.text("cascade").orElse("background");
    try {
      return Controllers.Cascade.valueOf(c.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidArgumentException("cascade '" + c + "' must be background, foreground or orphan", e);
    }
  }

  /// The workload with what `describe` shows beside it: its pods and the workloads it owns.
  private WorkloadDetail detail(Workload w) {
    return WorkloadDetail.of(ApiJson.workload(w), controllers.podsOf(w).stream().map(p ->
        new WorkloadDetail.PodSummary(p.name(), p.phase(), p.ready(), p.deleting())).toList(),
        controllers.ownedBy(w).stream().map(ApiJson::workload).toList());
  }

  private static RevisionList.Revision revision(Workload rs) {
    return new RevisionList.Revision(Revisions.revision(rs), rs.name(),
        rs.annotations().getOrDefault("kubernetes.io/change-cause", ""));
  }
}
