package io.peapod.base.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// A null-safe view over a parsed JSON value: `node.get("config").get("Env").strings()` never throws
/// for a missing key; it yields an empty value instead.
public record JsonNode(Object raw) {
  public static final JsonNode MISSING = new JsonNode(null);

  public JsonNode get(String key) {
    return raw instanceof Map<?, ?> m ? new JsonNode(m.get(key)) : MISSING;
  }

  public boolean has(String key) {
    return raw instanceof Map<?, ?> m && m.containsKey(key);
  }

  public boolean isMissing() {
    return raw == null;
  }

  public boolean isObject() {
    return raw instanceof Map<?, ?>;
  }

  public Optional<String> text() {
    return raw == null ? Optional.empty() : Optional.of(String.valueOf(raw));
  }

  public String text(String fallback) {
    return raw == null ? fallback : String.valueOf(raw);
  }

  public long asLong(long fallback) {
    return raw instanceof Number n ? n.longValue() : fallback;
  }

  public boolean asBoolean(boolean fallback) {
    return raw instanceof Boolean b ? b : fallback;
  }

  public List<JsonNode> list() {
    List<JsonNode> out = new ArrayList<>();
    if (raw instanceof List<?> l) {
      l.forEach(o -> out.add(new JsonNode(o)));
    }
    return out;
  }

  public List<String> strings() {
    List<String> out = new ArrayList<>();
    if (raw instanceof List<?> l) {
      l.forEach(o -> out.add(String.valueOf(o)));
    }
    return out;
  }

  /// The keys of an object, in document order; empty for anything else.
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    if (raw instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> out.add(String.valueOf(k)));
    }
    return out;
  }
}
