package io.peapod.controllers.object;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Copies of raw objects with one field changed: the stored object is never edited in place.
public final class ObjectMaps {
  private ObjectMaps() {}

  /// JSON of the tree with every object's keys sorted: equal for equal trees, whatever their key
  /// order or number types, so it is what trees are compared and hashed by.
  public static String canonical(Object node) {
    return io.peapod.base.json.Json.write(sorted(node));
  }

  private static Object sorted(Object node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new java.util.TreeMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), sorted(v)));
      return out;
    }
    if (node instanceof List<?> l) {
      return l.stream().map(ObjectMaps::sorted).toList();
    }
    return node;
  }

  /// A deep copy of a JSON-like tree.
  @SuppressWarnings("unchecked")
  public static <T> T copy(T node) {
    if (node instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return (T) out;
    }
    if (node instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(copy(v)));
      return (T) out;
    }
    return node;
  }

  /// The object with the value at `path` (keys from the top) set, creating maps on the way; a null
  /// value removes the field.
  public static Map<String, Object> with(Map<String, Object> object, Object value, String... path) {
    Map<String, Object> root = copy(object);
    Map<String, Object> at = root;
    for (int i = 0; i < path.length - 1; i++) {
      Object next = at.get(path[i]);
      Map<String, Object> m = next instanceof Map<?, ?> nm ? io.peapod.kubelet.manifest.Fields.cast(nm)
          : new LinkedHashMap<>();
      at.put(path[i], m);
      at = m;
    }
    if (value == null) {
      at.remove(path[path.length - 1]);
    } else {
      at.put(path[path.length - 1], value);
    }
    return root;
  }

  /// The map at `path`, or an empty one.
  public static Map<String, Object> map(Map<String, Object> object, String... path) {
    Object at = object;
    for (String p : path) {
      at = at instanceof Map<?, ?> m ? m.get(p) : null;
    }
    return at instanceof Map<?, ?> m ? io.peapod.kubelet.manifest.Fields.cast(m) : Map.of();
  }

  /// A whole number at `path` (JSON numbers come back as Long or Integer), or `fallback`.
  public static long number(Map<String, Object> object, long fallback, String... path) {
    Object at = object;
    for (String p : path) {
      at = at instanceof Map<?, ?> m ? m.get(p) : null;
    }
    return at instanceof Number n ? n.longValue() : fallback;
  }
}
