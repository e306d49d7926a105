package io.peapod.cli.output;

import io.peapod.base.json.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/// kubectl's columns for each workload kind, from the API's objects:
/// jobs `NAME STATUS COMPLETIONS DURATION AGE`, deployments `NAME READY UP-TO-DATE AVAILABLE AGE`,
/// replicasets `NAME DESIRED CURRENT READY AGE`, daemonsets `NAME DESIRED CURRENT READY UP-TO-DATE
/// AVAILABLE NODE SELECTOR AGE`, statefulsets `NAME READY AGE`; `-o wide` adds CONTAINERS, IMAGES and
/// SELECTOR.
public final class WorkloadRows {
  private WorkloadRows() {}

  public static List<String> header(String plural, boolean wide, boolean all) {
    List<String> h = new ArrayList<>(switch (plural) {
      case "jobs" -> List.of("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
      case "deployments" -> List.of("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE");
      case "replicasets" -> List.of("NAME", "DESIRED", "CURRENT", "READY", "AGE");
      case "daemonsets" -> List.of("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR",
          "AGE");
      default -> List.of("NAME", "READY", "AGE");
    });
    if (wide) {
      h.addAll(List.of("CONTAINERS", "IMAGES", "SELECTOR"));
    }
    if (all) {
      h.addFirst("NAMESPACE");
    }
    return h;
  }

  public static List<Object> row(String plural, JsonNode w, boolean wide, boolean all, Instant now) {
    JsonNode m = w.get("metadata");
    JsonNode spec = w.get("spec");
    JsonNode s = w.get("status");
    List<Object> row = new ArrayList<>();
    if (all) {
      row.add(m.get("namespace").text(""));
    }
    row.add(m.get("name").text(""));
    String age = Ages.since(m.get("creationTimestamp").text(""), now);
    long replicas = spec.get("replicas").asLong(1);
    switch (plural) {
      case "jobs" -> {
        row.add(jobStatus(s));
        long completions = spec.get("completions").asLong(-1);
        long parallelism = spec.get("parallelism").asLong(1);
        row.add(s.get("succeeded").asLong(0) + "/" + (completions >= 0 ? String.valueOf(completions)
            : parallelism > 1 ? "1 of " + parallelism : "1"));
        row.add(s.get("startTime").text().map(start -> duration(start, s.get("completionTime").text(), now))
            .orElse(""));
        row.add(age);
      }
      case "deployments" -> row.addAll(List.of(s.get("readyReplicas").asLong(0) + "/" + replicas,
          s.get("updatedReplicas").asLong(0), s.get("availableReplicas").asLong(0), age));
      case "replicasets" -> row.addAll(List.of(replicas, s.get("replicas").asLong(0), s.get("readyReplicas").asLong(0),
          age));
      case "daemonsets" -> row.addAll(List.of(s.get("desiredNumberScheduled").asLong(0),
          s.get("currentNumberScheduled").asLong(0), s.get("numberReady").asLong(0),
          s.get("updatedNumberScheduled").asLong(0), s.get("numberAvailable").asLong(0),
          selector(spec.get("template").get("spec").get("nodeSelector")), age));
      default -> row.addAll(List.of(s.get("readyReplicas").asLong(0) + "/" + replicas, age));
    }
    if (wide) {
      List<JsonNode> containers = spec.get("template").get("spec").get("containers").list();
      row.add(containers.stream().map(c -> c.get("name").text("")).collect(Collectors.joining(",")));
      row.add(containers.stream().map(c -> c.get("image").text("")).collect(Collectors.joining(",")));
      row.add(plural.equals("jobs") ? "batch.kubernetes.io/controller-uid=" + m.get("uid").text("")
          : selector(spec.get("selector").get("matchLabels")));
    }
    return row;
  }

  /// kubectl's STATUS column of a Job.
  private static String jobStatus(JsonNode s) {
    for (JsonNode c : s.get("conditions").list()) {
      if (c.get("status").text("").equals("True")) {
        switch (c.get("type").text("")) {
          case "Complete" -> {
            return "Complete";
          }
          case "Failed" -> {
            return "Failed";
          }
          case "Suspended" -> {
            return "Suspended";
          }
          default -> { }
        }
      }
    }
    return "Running";
  }

  private static String duration(String start, java.util.Optional<String> end, Instant now) {
    Instant until = end.map(Instant::parse).orElse(now);
    long secs = Math.max(0, Duration.between(Instant.parse(start), until).toSeconds());
    return Ages.since(now.minusSeconds(secs).toString(), now);
  }

  private static String selector(JsonNode labels) {
    if (!labels.isObject() || labels.keys().isEmpty()) {
      return "<none>";
    }
    return labels.keys().stream().map(k -> k + "=" + labels.get(k).text("")).collect(Collectors.joining(","));
  }

  /// `Map` form of a JSON object, for `-o yaml|json` lists.
  public static Map<String, Object> list(Object items) {
    return Map.of("apiVersion", "v1", "kind", "List", "items", items);
  }
}
