package io.peapod.base.json;

import io.peapod.base.error.InvalidArgumentException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Records as JSON objects and back, so that the daemon and its clients share one typed document
/// instead of agreeing on string keys. A component's name is its key; an empty `Optional`, list or
/// map is left out (Kubernetes' `omitempty`) unless marked [KeepEmpty]; an [Instant] is written in ISO-8601; `Map<String, Object>`
/// and [JsonNode] components carry free-form JSON (a pod's spec as applied). Reading is lenient the
/// way a client of a newer or older daemon needs: a key that is missing reads as the type's empty
/// value (`""`, 0, false, empty, the epoch), `""` as an absent `Optional`, and keys the record does not
/// know are skipped.
public final class JsonRecords {
  /// What reflection says of a record type, worked out once per type: components, their generic types,
  /// the canonical constructor, which components are written even when empty.
  private record Shape(RecordComponent[] components, String[] names, String[] wheres, TypeRef[] types,
      java.lang.reflect.Method[] accessors, Constructor<?> canonical) {}



  private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
    @Override
    protected Shape computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      TypeRef[] types = new TypeRef[components.length];
      String[] names = new String[components.length];
      String[] wheres = new String[components.length];
      Class<?>[] raw = new Class<?>[components.length];
      java.lang.reflect.Method[] accessors = new java.lang.reflect.Method[components.length];
      for (int i = 0; i < components.length; i++) {
        names[i] = components[i].getName();
        wheres[i] = type.getSimpleName() + "." + names[i];
        raw[i] = components[i].getType();
        String signature = components[i].getGenericSignature();
        types[i] = signature == null ? new TypeRef(raw[i], List.of())
            : TypeRef.of(signature, type.getClassLoader());
        accessors[i] = components[i].getAccessor();
        accessors[i].setAccessible(true);
      }
      try {
        Constructor<?> canonical = type.getDeclaredConstructor(raw);
        canonical.setAccessible(true);
        return new Shape(components, names, wheres, types, accessors, canonical);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException("record " + type.getName() + " has no canonical constructor", e);
      }
    }
  };

  /// Which components are written even when empty; apart from [#SHAPES] because only writing needs it,
  /// and reading annotations costs a short-lived reader (the CLI) a proxy class.
  private static final ClassValue<boolean[]> KEPT = new ClassValue<>() {
    @Override
    protected boolean[] computeValue(Class<?> type) {
      RecordComponent[] components = type.getRecordComponents();
      boolean[] keep = new boolean[components.length];
      for (int i = 0; i < components.length; i++) {
        keep[i] = components[i].isAnnotationPresent(KeepEmpty.class);
      }
      return keep;
    }
  };

  private JsonRecords() {}

  /// The record as maps and lists [Json#write] writes.
  public static Object tree(Object value) {
    return switch (value) {
      case null -> null;
      case JsonNode n -> n.raw();
      case Record r -> object(r);
      case Optional<?> o -> o.map(JsonRecords::tree).orElse(null);
      case Instant t -> t.toString();
      case Enum<?> e -> e.name();
      case Map<?, ?> m -> {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), tree(v)));
        yield out;
      }
      case Collection<?> c -> c.stream().map(JsonRecords::tree).toList();
      default -> value;
    };
  }

  private static Map<String, Object> object(Record r) {
    Shape shape = SHAPES.get(r.getClass());
    boolean[] kept = KEPT.get(r.getClass());
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < shape.components().length; i++) {
      Object v;
      try {
        v = shape.accessors()[i].invoke(r);
      } catch (IllegalAccessException | InvocationTargetException e) {
        throw new IllegalStateException("read " + shape.components()[i].getName() + " of "
            + r.getClass().getSimpleName(), e);
      }
      boolean empty = v == null || (v instanceof Optional<?> o && o.isEmpty()) || (v instanceof JsonNode n && n.isMissing())
          || (!kept[i] && ((v instanceof Collection<?> l && l.isEmpty())
              || (v instanceof Map<?, ?> m && m.isEmpty())));
      if (!empty) {
        out.put(shape.names()[i], tree(v));
      }
    }
    return out;
  }

  public static String write(Object value) {
    return Json.write(tree(value));
  }

  public static <R extends Record> R read(String json, Class<R> type) {
    return read(Json.parseNode(json), type);
  }

  public static <R extends Record> R read(JsonNode node, Class<R> type) {
    return read(node, type, false);
  }

  /// As [#read], but a key the record (or a record inside it) has no component for is an error: for
  /// documents the daemon itself converts, so that a key one side added cannot go unseen.
  public static <R extends Record> R readStrict(JsonNode node, Class<R> type) {
    return read(node, type, true);
  }

  private static <R extends Record> R read(JsonNode node, Class<R> type, boolean strict) {
    Shape shape = SHAPES.get(type);
    RecordComponent[] components = shape.components();
    if (strict) {
      java.util.Set<String> known = new java.util.HashSet<>();
      for (RecordComponent c : components) {
        known.add(c.getName());
      }
      for (String key : node.keys()) {
        if (!known.contains(key)) {
          throw new IllegalStateException(type.getSimpleName() + " has no field '" + key + "'");
        }
      }
    }
    Object[] args = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      args[i] = value(node.get(shape.names()[i]), shape.types()[i], shape.wheres()[i], strict);
    }
    try {
      return type.cast(shape.canonical().newInstance(args));
    } catch (InvocationTargetException e) {
      throw new InvalidArgumentException("a " + type.getSimpleName() + " the daemon sent does not hold together: "
          + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("make " + type.getName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object value(JsonNode n, TypeRef type, String where, boolean strict) {
    Class<?> raw = type.raw();
    if (raw == Optional.class) {
      // An empty text is no value (an older daemon wrote times it did not have as "").
      return n.isMissing() || "".equals(n.raw()) ? Optional.empty()
          : Optional.of(value(n, argument(type, 0, where), where, strict));
    }
    if (raw == String.class) {
      return n.text("");
    }
    if (raw == int.class || raw == Integer.class) {
      return (int) n.asLong(0);
    }
    if (raw == long.class || raw == Long.class) {
      return n.asLong(0);
    }
    if (raw == double.class || raw == Double.class) {
      return n.raw() instanceof Number x ? x.doubleValue() : 0.0;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return n.asBoolean(false);
    }
    if (raw == Instant.class) {
      if (n.isMissing() || "".equals(n.raw())) {
        return Instant.EPOCH;
      }
      try {
        return Instants.parse(n.text(""));
      } catch (DateTimeParseException e) {
        throw new InvalidArgumentException(where + ": '" + n.text("") + "' is not an ISO-8601 time", e);
      }
    }
    if (raw == JsonNode.class) {
      return n;
    }
    if (raw == Object.class) {
      return n.raw();
    }
    if (raw.isEnum()) {
      return Enum.valueOf((Class<? extends Enum>) raw, n.text(""));
    }
    if (raw == List.class) {
      List<Object> out = new ArrayList<>();
      TypeRef element = argument(type, 0, where);
      String elementWhere = where + "[]";
      n.list().forEach(e -> out.add(value(e, element, elementWhere, strict)));
      return List.copyOf(out);
    }
    if (raw == Map.class) {
      Map<String, Object> out = new LinkedHashMap<>();
      TypeRef element = argument(type, 1, where);
      String entryWhere = where + "[*]";
      n.keys().forEach(k -> {
        Object v = value(n.get(k), element, entryWhere, strict);
        if (v != null) {
          out.put(k, v);
        }
      });
      return java.util.Collections.unmodifiableMap(out);
    }
    if (raw.isRecord()) {
      return read(n, (Class<? extends Record>) raw, strict);
    }
    throw new IllegalStateException(where + ": no JSON form for " + raw.getName());
  }

  private static TypeRef argument(TypeRef type, int i, String where) {
    if (i < type.args().size()) {
      return type.args().get(i);
    }
    throw new IllegalStateException(where + ": " + type.raw().getName() + " needs its type arguments");
  }
}
