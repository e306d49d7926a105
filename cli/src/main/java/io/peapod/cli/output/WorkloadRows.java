package io.peapod.cli.output;

import io.peapod.base.api.v1.ObjectMeta;
import io.peapod.base.api.v1.Workload;
import io.peapod.base.api.v1.WorkloadStatus;
import io.peapod.base.json.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/// kubectl's columns for each workload kind, from the API's objects (their `spec` is the manifest's own,
/// read by Kubernetes' field names; their status is the typed [WorkloadStatus]):
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

  public static List<Object> row(String plural, Workload w, boolean wide, boolean all, Instant now) {
    ObjectMeta m = w.metadata();
    JsonNode spec = w.spec();
    WorkloadStatus s = w.status();
    List<Object> row = new ArrayList<>();
    if (all) {
      row.add(m.namespace());
    }
    row.add(m.name());
    String age = Ages.since(m.creationTimestamp(), now);
    long replicas = spec.get("replicas").asLong(1);
    switch (plural) {
      case "jobs" -> {
        row.add(jobStatus(s));
        long completions = spec.get("completions").asLong(-1);
        long parallelism = spec.get("parallelism").asLong(1);
        row.add(n(s.succeeded()) + "/" + (completions >= 0 ? String.valueOf(completions)
            : parallelism > 1 ? "1 of " + parallelism : "1"));
        row.add(s.startTime().map(start -> duration(start, s.completionTime().orElse(now), now)).orElse(""));
        row.add(age);
      }
      case "deployments" -> row.addAll(List.of(n(s.readyReplicas()) + "/" + replicas, n(s.updatedReplicas()),
          n(s.availableReplicas()), age));
      case "replicasets" -> row.addAll(List.of(replicas, n(s.replicas()), n(s.readyReplicas()), age));
      case "daemonsets" -> row.addAll(List.of(n(s.desiredNumberScheduled()), n(s.currentNumberScheduled()),
          n(s.numberReady()), n(s.updatedNumberScheduled()), n(s.numberAvailable()),
          selector(spec.get("template").get("spec").get("nodeSelector")), age));
      default -> row.addAll(List.of(n(s.readyReplicas()) + "/" + replicas, age));
    }
    if (wide) {
      List<JsonNode> containers = spec.get("template").get("spec").get("containers").list();
      row.add(containers.stream().map(c -> c.get("name").text("")).collect(Collectors.joining(",")));
      row.add(containers.stream().map(c -> c.get("image").text("")).collect(Collectors.joining(",")));
      row.add(plural.equals("jobs") ? "batch.kubernetes.io/controller-uid=" + m.uid()
          : selector(spec.get("selector").get("matchLabels")));
    }
    return row;
  }

  /// A count the workload's kind may leave out: kubectl shows 0.
  public static int n(Optional<Integer> count) {
    return count.orElse(0);
  }

  /// kubectl's STATUS column of a Job.
  private static String jobStatus(WorkloadStatus s) {
    for (String type : List.of("Complete", "Failed", "Suspended")) {
      if (s.isTrue(type)) {
        return type;
      }
    }
    return "Running";
  }

  private static String duration(Instant start, Instant end, Instant now) {
    long secs = Math.max(0, Duration.between(start, end).toSeconds());
    return Ages.since(now.minusSeconds(secs), now);
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
