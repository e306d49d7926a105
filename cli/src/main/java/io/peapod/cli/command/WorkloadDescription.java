package io.peapod.cli.command;

import io.peapod.base.json.JsonNode;
import io.peapod.cli.output.Table;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/// `describe KIND NAME` for workloads, in kubectl's shape: identity, selector, replicas or completions,
/// strategy, the pod template's containers, conditions, what it owns and its pods.
final class WorkloadDescription {
  private WorkloadDescription() {}

  static void print(PrintStream out, String plural, JsonNode w) {
    JsonNode m = w.get("metadata");
    JsonNode spec = w.get("spec");
    JsonNode s = w.get("status");
    DescribeCommand.field(out, "Name:", m.get("name").text(""));
    DescribeCommand.field(out, "Namespace:", m.get("namespace").text(""));
    DescribeCommand.field(out, "Created:", m.get("creationTimestamp").text(""));
    DescribeCommand.labels(out, "Labels:", m.get("labels"));
    DescribeCommand.labels(out, "Annotations:", m.get("annotations"));
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
        DescribeCommand.field(out, "Start Time:", s.get("startTime").text("<none>"));
        s.get("completionTime").text().ifPresent(t -> DescribeCommand.field(out, "Completed At:", t));
        DescribeCommand.field(out, "Pods Statuses:", s.get("active").asLong(0) + " Active / "
            + s.get("succeeded").asLong(0) + " Succeeded / " + s.get("failed").asLong(0) + " Failed");
        s.get("completedIndexes").text().ifPresent(t -> DescribeCommand.field(out, "Completed Indexes:", t));
      }
      case "deployments" -> {
        DescribeCommand.field(out, "Replicas:", spec.get("replicas").asLong(1) + " desired | "
            + s.get("updatedReplicas").asLong(0) + " updated | " + s.get("replicas").asLong(0) + " total | "
            + s.get("availableReplicas").asLong(0) + " available | " + s.get("unavailableReplicas").asLong(0)
            + " unavailable");
        JsonNode strategy = spec.get("strategy");
        String type = strategy.get("type").text("RollingUpdate");
        DescribeCommand.field(out, "StrategyType:", type);
        if (type.equals("RollingUpdate")) {
          JsonNode r = strategy.get("rollingUpdate");
          DescribeCommand.field(out, "RollingUpdate:", r.get("maxUnavailable").text("25%") + " max unavailable, "
              + r.get("maxSurge").text("25%") + " max surge");
        }
        DescribeCommand.field(out, "Revision:", s.get("revision").text("<none>"));
      }
      case "daemonsets" -> DescribeCommand.field(out, "Pods Status:", s.get("numberReady").asLong(0) + " Ready / "
          + s.get("desiredNumberScheduled").asLong(0) + " Desired");
      default -> DescribeCommand.field(out, "Replicas:", s.get("replicas").asLong(0) + " current / "
          + spec.get("replicas").asLong(1) + " desired (" + s.get("readyReplicas").asLong(0) + " ready)");
    }
    out.println("Pod Template:");
    JsonNode tmplMeta = spec.get("template").get("metadata");
    DescribeCommand.labels(out, "  Labels:", tmplMeta.get("labels"));
    out.println("  Containers:");
    for (JsonNode c : spec.get("template").get("spec").get("containers").list()) {
      out.println("   " + c.get("name").text("") + ":");
      out.println("    Image:      " + c.get("image").text(""));
      List<String> cmd = c.get("command").strings();
      if (!cmd.isEmpty()) {
        out.println("    Command:    " + String.join(" ", cmd));
      }
    }
    List<JsonNode> conditions = s.get("conditions").list();
    if (!conditions.isEmpty()) {
      out.println("Conditions:");
      Table t = new Table("  Type", "Status", "Reason");
      conditions.forEach(c -> t.row("  " + c.get("type").text(""), c.get("status").text(""),
          c.get("reason").text("")));
      t.print(out);
    }
    for (JsonNode owned : w.get("owns").list()) {
      out.println("ReplicaSet:    " + owned.get("metadata").get("name").text("") + " (revision "
          + owned.get("metadata").get("annotations").get("deployment.kubernetes.io/revision").text("?") + ", "
          + owned.get("status").get("replicas").asLong(0) + "/" + owned.get("spec").get("replicas").asLong(0)
          + " replicas)");
    }
    List<JsonNode> pods = w.get("pods").list();
    out.println("Pods:" + (pods.isEmpty() ? "          <none>" : ""));
    for (JsonNode p : pods) {
      out.println("  " + p.get("name").text("") + "  " + p.get("phase").text("")
          + (p.get("ready").asBoolean(false) ? ", ready" : "") + (p.get("deleting").asBoolean(false)
              ? ", terminating" : ""));
    }
  }
}
