package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/// `explain KIND[.FIELD...]` from the fields peapod reads ([FieldSchema]): which fields an object has,
/// which are objects or lists of objects, and which are accepted but not acted on.
public final class Explain {
  /// One field below the explained one: `type` is `Object`, `[]Object` or `value`.
  public record Field(String name, String type, boolean actedOn) {}

  /// The explained field and what is below it.
  public record Result(String kind, String path, String type, List<Field> fields) {
    public Result {
      fields = List.copyOf(fields);
    }
  }

  private static final Map<String, Map<String, Object>> KINDS = Map.of("pod", FieldSchema.POD, "pods", FieldSchema.POD,
      "po", FieldSchema.POD, "configmap", FieldSchema.CONFIG_MAP, "configmaps", FieldSchema.CONFIG_MAP, "cm",
      FieldSchema.CONFIG_MAP, "secret", FieldSchema.SECRET, "secrets", FieldSchema.SECRET);

  private Explain() {}

  public static Result of(String query) {
    String[] parts = query.split("\\.");
    Map<String, Object> schema = KINDS.get(parts[0].toLowerCase(java.util.Locale.ROOT));
    if (schema == null) {
      throw new InvalidArgumentException("peapod explains pods, configmaps and secrets, not '" + parts[0] + "'");
    }
    String kind = schema == FieldSchema.POD ? "Pod" : schema == FieldSchema.SECRET ? "Secret" : "ConfigMap";
    Object node = schema;
    String type = "Object";
    List<String> path = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      if (!(unwrap(node) instanceof Map<?, ?> m) || !m.containsKey(parts[i])) {
        throw new InvalidArgumentException("field \"" + parts[i] + "\" does not exist in " + kind
            + (path.isEmpty() ? "" : "." + String.join(".", path)) + " (as peapod reads it)");
      }
      node = m.get(parts[i]);
      path.add(parts[i]);
      type = type(node);
    }
    List<Field> fields = new ArrayList<>();
    if (unwrap(node) instanceof Map<?, ?> m) {
      new TreeMap<>(Fields.cast(m)).forEach((name, sub) -> fields.add(new Field(name, type(sub),
          !FieldSchema.IGNORED.contains(listPath(path, name)))));
    }
    return new Result(kind, String.join(".", path), type, fields);
  }

  /// The field's path as [FieldSchema#IGNORED] writes it (`spec.containers[].stdin`).
  private static String listPath(List<String> path, String name) {
    List<String> out = new ArrayList<>();
    Object node = FieldSchema.POD;
    for (String p : path) {
      // Only a pod's fields are listed as not acted on; other kinds' paths never match.
      node = unwrap(node) instanceof Map<?, ?> m ? m.get(p) : null;
      out.add(node instanceof List<?> ? p + "[]" : p);
    }
    out.add(name);
    return String.join(".", out);
  }

  private static Object unwrap(Object node) {
    return node instanceof List<?> l && !l.isEmpty() ? l.getFirst() : node;
  }

  private static String type(Object node) {
    return node instanceof List<?> ? "[]Object" : node instanceof Map<?, ?> ? "Object" : "value";
  }
}
