package io.peapod.kubelet.pod;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// What of a pod's status is remembered rather than recomputed from the runtime each time: its phase
/// (a terminal phase never changes again), a pod-level reason and message (`DeadlineExceeded`), when
/// it started, and its conditions with their transition times.
public record StoredStatus(String phase, String reason, String message, Optional<Instant> startTime,
    List<PodCondition> conditions) {
  public static final StoredStatus PENDING = new StoredStatus("Pending", "", "", Optional.empty(), List.of());

  public StoredStatus {
    conditions = List.copyOf(conditions);
  }

  public boolean terminal() {
    return phase.equals("Succeeded") || phase.equals("Failed");
  }

  public Optional<PodCondition> condition(String type) {
    return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
  }

  String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("phase", phase);
    m.put("reason", reason);
    m.put("message", message);
    startTime.ifPresent(t -> m.put("startTime", t.toString()));
    List<Object> cs = new ArrayList<>();
    for (PodCondition c : conditions) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("type", c.type());
      cm.put("status", c.status());
      cm.put("lastTransitionTime", c.lastTransitionTime().toString());
      cm.put("reason", c.reason());
      cm.put("message", c.message());
      cs.add(cm);
    }
    m.put("conditions", cs);
    return Json.write(m);
  }

  static StoredStatus fromJson(String json) {
    if (json.isBlank()) {
      return PENDING;
    }
    JsonNode n = Json.parseNode(json);
    List<PodCondition> cs = new ArrayList<>();
    for (JsonNode c : n.get("conditions").list()) {
      cs.add(new PodCondition(c.get("type").text(""), c.get("status").text("False"),
          Instant.parse(c.get("lastTransitionTime").text(Instant.EPOCH.toString())), c.get("reason").text(""),
          c.get("message").text("")));
    }
    return new StoredStatus(n.get("phase").text("Pending"), n.get("reason").text(""), n.get("message").text(""),
        n.get("startTime").text().map(Instant::parse), cs);
  }
}
