package io.peapod.server.web;

import io.peapod.kubelet.pod.PodView;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/// The node's pods and containers in Prometheus' text format: pods by phase, containers by state, and
/// restarts per pod.
final class Metrics {
  private Metrics() {}

  static String render(List<PodView> pods) {
    Map<String, Integer> phases = new TreeMap<>();
    Map<String, Integer> states = new TreeMap<>();
    StringBuilder restarts = new StringBuilder();
    for (PodView p : pods) {
      phases.merge(p.phase(), 1, Integer::sum);
      for (PodView.ContainerView c : p.containers()) {
        states.merge(c.state().name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
      }
      restarts.append("peapod_pod_container_restarts_total{namespace=\"").append(escape(p.namespace()))
          .append("\",pod=\"").append(escape(p.name())).append("\"} ").append(p.restarts()).append('\n');
    }
    StringBuilder out = new StringBuilder();
    out.append("# HELP peapod_pods Pods on this node by phase.\n# TYPE peapod_pods gauge\n");
    for (String phase : List.of("Pending", "Running", "Succeeded", "Failed")) {
      phases.putIfAbsent(phase, 0);
    }
    phases.forEach((k, v) -> out.append("peapod_pods{phase=\"").append(escape(k)).append("\"} ").append(v).append('\n'));
    out.append("# HELP peapod_containers App containers by state.\n# TYPE peapod_containers gauge\n");
    states.forEach((k, v) -> out.append("peapod_containers{state=\"").append(k).append("\"} ").append(v).append('\n'));
    out.append("# HELP peapod_pod_container_restarts_total Container restarts per pod.\n")
        .append("# TYPE peapod_pod_container_restarts_total counter\n").append(restarts);
    return out.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
