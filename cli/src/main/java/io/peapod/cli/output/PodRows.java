package io.peapod.cli.output;

import io.peapod.base.json.JsonNode;
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

  public static List<Object> row(JsonNode p, boolean wide, boolean all, Instant now) {
    JsonNode s = p.get("status");
    List<Object> row = new ArrayList<>();
    if (all) {
      row.add(p.get("metadata").get("namespace").text(""));
    }
    row.add(p.get("metadata").get("name").text(""));
    row.add(s.get("ready").asLong(0) + "/" + s.get("total").asLong(0));
    row.add(s.get("display").text(""));
    long restarts = s.get("restarts").asLong(0);
    row.add(restarts + s.get("lastRestart").text().map(t -> " (" + Ages.since(t, now) + " ago)").orElse(""));
    row.add(Ages.since(p.get("metadata").get("creationTimestamp").text(""), now));
    if (wide) {
      String ip = s.get("podIP").text("");
      row.add(ip.isEmpty() ? "<none>" : ip);
      row.add(s.get("nodeName").text(""));
    }
    return row;
  }
}
