package io.peapod.cli.command;

import static io.peapod.cli.output.WorkloadRows.n;

import io.peapod.base.api.v1.ObjectMeta;
import io.peapod.base.api.v1.Workload;
import io.peapod.base.api.v1.WorkloadDetail;
import io.peapod.base.api.v1.WorkloadStatus;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.output.Table;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/// `describe KIND NAME` for workloads, in kubectl's shape: identity, selector, replicas or completions,
/// strategy, the pod template's containers, conditions, what it owns and its pods.
final class WorkloadDescription {
  private WorkloadDescription() {}

  static void print(PrintStream out, String plural, WorkloadDetail w) {
    ObjectMeta m = w.metadata();
    JsonNode spec = w.spec();
    WorkloadStatus s = w.status();
    DescribeCommand.field(out, "Name:", m.name());
    DescribeCommand.field(out, "Namespace:", m.namespace());
    DescribeCommand.field(out, "Created:", m.creationTimestamp().map(Instant::toString).orElse(""));
    DescribeCommand.labels(out, "Labels:", m.labels());
    DescribeCommand.labels(out, "Annotations:", m.annotations());
    DescribeCommand.controlledBy(out, m);
    JsonNode selector = spec.get("selector").get("matchLabels");
    DescribeCommand.field(out, "Selector:", selector.keys().isEmpty() ? "<auto>" : selector.keys().stream()
        .map(k -> k + "=" + selector.get(k).text("")).collect(Collectors.joining(",")));
    switch (plural) {
      case "jobs" -> {
        DescribeCommand.field(out, "Parallelism:", String.valueOf(spec.get("parallelism").asLong(1)));
        DescribeCommand.field(out, "Completions:", spec.get("completions").text("<unset>"));
        DescribeCommand.field(out, "Completion Mode:", spec.get("completionMode").text("NonIndexed"));
        DescribeCommand.field(out, "Backoff Limit:", String.valueOf(spec.get("backoffLimit").asLong(6)));
        DescribeCommand.field(out, "Start Time:", s.startTime().map(Instant::toString).orElse("<none>"));
        s.completionTime().ifPresent(t -> DescribeCommand.field(out, "Completed At:", t.toString()));
        DescribeCommand.field(out, "Pods Statuses:", n(s.active()) + " Active / " + n(s.succeeded()) + " Succeeded / "
            + n(s.failed()) + " Failed");
        s.completedIndexes().ifPresent(t -> DescribeCommand.field(out, "Completed Indexes:", t));
      }
      case "deployments" -> {
        DescribeCommand.field(out, "Replicas:", spec.get("replicas").asLong(1) + " desired | "
            + n(s.updatedReplicas()) + " updated | " + n(s.replicas()) + " total | " + n(s.availableReplicas())
            + " available | " + n(s.unavailableReplicas()) + " unavailable");
        JsonNode strategy = spec.get("strategy");
        String type = strategy.get("type").text("RollingUpdate");
        DescribeCommand.field(out, "StrategyType:", type);
        if (type.equals("RollingUpdate")) {
          JsonNode r = strategy.get("rollingUpdate");
          DescribeCommand.field(out, "RollingUpdate:", r.get("maxUnavailable").text("25%") + " max unavailable, "
              + r.get("maxSurge").text("25%") + " max surge");
        }
        DescribeCommand.field(out, "Revision:", s.revision().orElse("<none>"));
      }
      case "daemonsets" -> DescribeCommand.field(out, "Pods Status:", n(s.numberReady()) + " Ready / "
          + n(s.desiredNumberScheduled()) + " Desired");
      default -> DescribeCommand.field(out, "Replicas:", n(s.replicas()) + " current / "
          + spec.get("replicas").asLong(1) + " desired (" + n(s.readyReplicas()) + " ready)");
    }
    out.println("Pod Template:");
    JsonNode tmplMeta = spec.get("template").get("metadata");
    Map<String, String> templateLabels = new java.util.LinkedHashMap<>();
    tmplMeta.get("labels").keys().forEach(k -> templateLabels.put(k, tmplMeta.get("labels").get(k).text("")));
    DescribeCommand.labels(out, "  Labels:", templateLabels);
    out.println("  Containers:");
    for (JsonNode c : spec.get("template").get("spec").get("containers").list()) {
      out.println("   " + c.get("name").text("") + ":");
      out.println("    Image:      " + c.get("image").text(""));
      List<String> cmd = c.get("command").strings();
      if (!cmd.isEmpty()) {
        out.println("    Command:    " + String.join(" ", cmd));
      }
    }
    if (!s.conditions().isEmpty()) {
      out.println("Conditions:");
      Table t = new Table("  Type", "Status", "Reason");
      s.conditions().forEach(c -> t.row("  " + c.type(), c.status(), c.reason()));
      t.print(out);
    }
    for (Workload owned : w.owns()) {
      out.println("ReplicaSet:    " + owned.metadata().name() + " (revision "
          + owned.metadata().annotations().getOrDefault("deployment.kubernetes.io/revision", "?") + ", "
          + n(owned.status().replicas()) + "/" + owned.spec().get("replicas").asLong(0) + " replicas)");
    }
    out.println("Pods:" + (w.pods().isEmpty() ? "          <none>" : ""));
    for (WorkloadDetail.PodSummary p : w.pods()) {
      out.println("  " + p.name() + "  " + p.phase() + (p.ready() ? ", ready" : "")
          + (p.deleting() ? ", terminating" : ""));
    }
  }
}
