package io.peapod.cli.output;

import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/// kubectl's pod columns from the API's pod documents: NAME READY STATUS RESTARTS AGE, with IP and
/// NODE for `-o wide` and NAMESPACE for `-A`. RESTARTS carries the age of the last one, `3 (42s ago)`.
public final class PodRows {
  private PodRows() {}

  public static List<String> header(boolean wide, boolean all) {
    List<String> h = new ArrayList<>(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
    if (wide) {
      h.addAll(List.of("IP", "NODE"));
    }
    if (all) {
      h.addFirst("NAMESPACE");
    }
    return h;
  }

  public static List<Object> row(Pod p, boolean wide, boolean all, Instant now) {
    PodStatus s = p.status();
    List<Object> row = new ArrayList<>();
    if (all) {
      row.add(p.metadata().namespace());
    }
    row.add(p.metadata().name());
    row.add(s.ready() + "/" + s.total());
    row.add(s.display());
    row.add(s.restarts() + s.lastRestart().map(t -> " (" + Ages.since(t, now) + " ago)").orElse(""));
    row.add(Ages.since(p.metadata().creationTimestamp(), now));
    if (wide) {
      row.add(s.podIP().isEmpty() ? "<none>" : s.podIP());
      row.add(s.nodeName());
    }
    return row;
  }
}
