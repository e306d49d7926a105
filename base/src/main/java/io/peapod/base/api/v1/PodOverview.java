package io.peapod.base.api.v1;

import io.peapod.base.json.KeepEmpty;
import java.util.List;

/// What the web page draws of a pod: the pod as `get` shows it, who holds each of its namespaces, and
/// its newest events.
public record PodOverview(Pod pod, @KeepEmpty List<NamespaceReport.Row> namespaces, @KeepEmpty List<Event> events) {
  public PodOverview {
    namespaces = List.copyOf(namespaces);
    events = List.copyOf(events);
  }
}
