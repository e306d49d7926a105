package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/// Typed reads of a YAML object's fields, each failure an [InvalidArgumentException] that names the
/// object (`where`: the file and the object) and the field's path, and says what was expected.
public final class Fields {
  public static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  public static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  private final String where;

  public Fields(String where) {
    this.where = where;
  }

  public String where() {
    return where;
  }

  public InvalidArgumentException error(String field, String problem) {
    return new InvalidArgumentException(where + ": " + field + " " + problem);
  }

  public Map<String, Object> map(Object o, String field) {
    if (o == null) {
      throw error(field, "is required");
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw error(field, "must be an object, not " + describe(o));
    }
    return cast(m);
  }

  public Map<String, Object> optionalMap(Object o, String field) {
    return o == null ? Map.of() : map(o, field);
  }

  public List<Object> list(Object o, String field) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw error(field, "must be a list, not " + describe(o));
    }
    return new ArrayList<>(l);
  }

  public List<String> strings(Object o, String field) {
    List<String> out = new ArrayList<>();
    for (Object x : list(o, field)) {
      if (x instanceof Map<?, ?> || x instanceof List<?> || x == null) {
        throw error(field, "must be a list of strings");
      }
      out.add(String.valueOf(x));
    }
    return out;
  }

  public String string(Object o, String field) {
    if (o == null) {
      return "";
    }
    if (o instanceof Map<?, ?> || o instanceof List<?>) {
      throw error(field, "must be a string, not " + describe(o));
    }
    return String.valueOf(o);
  }

  public boolean bool(Object o, String field) {
    if (o == null) {
      return false;
    }
    if (!(o instanceof Boolean b)) {
      throw error(field, "must be true or false, not " + describe(o));
    }
    return b;
  }

  public long number(Object o, String field) {
    if (!(o instanceof Number n) || o instanceof Double || o instanceof Float) {
      throw error(field, "must be a whole number, not " + (o == null ? "missing" : describe(o)));
    }
    return n.longValue();
  }

  /// A whole number within bounds, or `fallback` when the field is absent.
  public long number(Object o, String field, long fallback, long min, long max) {
    if (o == null) {
      return fallback;
    }
    long n = number(o, field);
    if (n < min || n > max) {
      throw error(field, n + " must be " + (max == Long.MAX_VALUE ? "at least " + min : "within " + min + "-" + max));
    }
    return n;
  }

  public Map<String, String> stringMap(Object o, String field) {
    Map<String, String> out = new LinkedHashMap<>();
    if (o == null) {
      return out;
    }
    map(o, field).forEach((k, v) -> out.put(k, string(v, field + "." + k)));
    return out;
  }

  /// One of `allowed`, or `fallback` when absent.
  public String oneOf(Object o, String field, String fallback, List<String> allowed) {
    String s = o == null ? fallback : string(o, field);
    if (!allowed.contains(s)) {
      throw error(field, "'" + s + "' must be " + String.join(", ", allowed.subList(0, allowed.size() - 1))
          + (allowed.size() > 1 ? " or " : "") + allowed.getLast());
    }
    return s;
  }

  public void dnsLabel(String s, String field) {
    if (s.length() > 63 || !DNS_LABEL.matcher(s).matches()) {
      throw error(field, "'" + s + "' is not a valid DNS label: use at most 63 lowercase letters, digits and '-',"
          + " starting and ending with a letter or digit");
    }
  }

  public void cleanAbsolute(String p, String field) {
    if (!p.startsWith("/") || List.of(p.split("/")).contains("..")) {
      throw error(field, "'" + p + "' must be an absolute path without '..'");
    }
  }

  @SuppressWarnings("unchecked")
  public static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  public static String describe(Object o) {
    return switch (o) {
      case Map<?, ?> unused -> "an object";
      case List<?> unused -> "a list";
      case String s -> "the string '" + s + "'";
      default -> "'" + o + "'";
    };
  }
}
