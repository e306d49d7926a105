package io.peapod.controllers.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A workload's `status.conditions` as the API shows them: `type`, `status`, `reason`, `message`,
/// `lastTransitionTime` (moved only when the status changes) and `lastUpdateTime`.
public final class Conditions {
  public static final String COMPLETE = "Complete";
  public static final String FAILED = "Failed";
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  private final List<Map<String, Object>> list = new ArrayList<>();

  /// The conditions of a stored status (a list of objects, or nothing).
  public static Conditions of(Map<String, Object> status) {
    Conditions c = new Conditions();
    if (status.get("conditions") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          Map<String, Object> copy = new LinkedHashMap<>();
          m.forEach((k, v) -> copy.put(String.valueOf(k), v));
          c.list.add(copy);
        }
      }
    }
    return c;
  }

  public void set(String type, String status, String reason, String message, Instant now) {
    Map<String, Object> c = find(type).orElse(null);
    if (c == null) {
      c = new LinkedHashMap<>();
      c.put("type", type);
      list.add(c);
    }
    if (!status.equals(c.get("status"))) {
      c.put("lastTransitionTime", now.toString());
    }
    if (!status.equals(c.get("status")) || !reason.equals(c.get("reason")) || !message.equals(c.get("message"))) {
      c.put("lastUpdateTime", now.toString());
    }
    c.put("status", status);
    c.put("reason", reason);
    c.put("message", message);
  }

  public void remove(String type) {
    list.removeIf(c -> type.equals(c.get("type")));
  }

  public boolean isTrue(String type) {
    return find(type).map(c -> "True".equals(c.get("status"))).orElse(false);
  }

  /// When the condition last became True, if it is True.
  public Optional<Instant> transitionOf(String type) {
    return find(type).filter(c -> "True".equals(c.get("status")))
        .map(c -> Instant.parse(String.valueOf(c.get("lastTransitionTime"))));
  }

  private Optional<Map<String, Object>> find(String type) {
    return list.stream().filter(c -> type.equals(c.get("type"))).findFirst();
  }

  public List<Map<String, Object>> toList() {
    return list.stream().<Map<String, Object>>map(LinkedHashMap::new).toList();
  }
}
