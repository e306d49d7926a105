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

  /// A component's type with its type arguments (`List<Pod>`), read from its generic signature by
  /// [#typeOf] rather than through `getGenericType()`, whose machinery costs a cold reader (the CLI)
  /// several milliseconds.
  private record TypeRef(Class<?> raw, List<TypeRef> args) {}

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
            : new SignatureReader(signature, type.getClassLoader()).type();
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
        return instant(n.text(""));
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

  /// `2026-01-02T03:04:05.123456789Z`, the form the daemon writes, read directly (java.time's parser
  /// costs a cold reader a few milliseconds); any other ISO-8601 instant through [Instant#parse].
  static Instant instant(String t) {
    int n = t.length();
    if (n >= 20 && n <= 30 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
        && t.charAt(16) == ':' && t.charAt(n - 1) == 'Z' && (n == 20 || (n > 21 && t.charAt(19) == '.'))
        && digits(t, n)) {
      try {
        long days = java.time.LocalDate.of(Integer.parseInt(t, 0, 4, 10), Integer.parseInt(t, 5, 7, 10),
            Integer.parseInt(t, 8, 10, 10)).toEpochDay();
        int hour = Integer.parseInt(t, 11, 13, 10);
        int minute = Integer.parseInt(t, 14, 16, 10);
        int second = Integer.parseInt(t, 17, 19, 10);
        int nanos = 0;
        if (n > 20) {
          String fraction = t.substring(20, n - 1);
          nanos = Integer.parseInt(fraction) * (int) Math.pow(10, 9 - fraction.length());
        }
        if (hour < 24 && minute < 60 && second < 60 && n - 21 <= 9) {
          return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second, nanos);
        }
      } catch (NumberFormatException | java.time.DateTimeException e) {
        // Not the daemon's form after all: the full parser says what is wrong with it.
      }
    }
    return Instant.parse(t);
  }

  /// Whether every field of the daemon's form holds ASCII digits only (no sign, no other script's digits).
  private static boolean digits(String t, int n) {
    for (int i = 0; i < n - 1; i++) {
      char c = t.charAt(i);
      boolean separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19;
      if (!separator && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static TypeRef argument(TypeRef type, int i, String where) {
    if (i < type.args().size()) {
      return type.args().get(i);
    }
    throw new IllegalStateException(where + ": " + type.raw().getName() + " needs its type arguments");
  }

  /// Reads a field signature (`Ljava/util/List<Lio/peapod/X;>;`, `I`) into a [TypeRef].
  private static final class SignatureReader {
    private final String s;
    private final ClassLoader loader;
    private int pos;

    SignatureReader(String s, ClassLoader loader) {
      this.s = s;
      this.loader = loader;
    }

    TypeRef type() {
      char c = s.charAt(pos++);
      return switch (c) {
        case 'I' -> new TypeRef(int.class, List.of());
        case 'J' -> new TypeRef(long.class, List.of());
        case 'Z' -> new TypeRef(boolean.class, List.of());
        case 'D' -> new TypeRef(double.class, List.of());
        case 'L' -> {
          int start = pos;
          while (s.charAt(pos) != '<' && s.charAt(pos) != ';') {
            pos++;
          }
          Class<?> raw = load(s.substring(start, pos).replace('/', '.'));
          List<TypeRef> args = new java.util.ArrayList<>();
          if (s.charAt(pos) == '<') {
            pos++;
            while (s.charAt(pos) != '>') {
              args.add(type());
            }
            pos++;
          }
          pos++;
          yield new TypeRef(raw, List.copyOf(args));
        }
        default -> throw new IllegalStateException("signature " + s + ": no JSON form for '" + c + "'");
      };
    }

    private Class<?> load(String name) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("signature names " + name + ", which is not loadable", e);
      }
    }
  }

}
