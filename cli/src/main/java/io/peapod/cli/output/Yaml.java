package io.peapod.cli.output;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/// Writes the JSON tree of an API answer as block-style YAML, quoting strings only when needed.
public final class Yaml {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/.][\\w./:@+-]*( [\\w./:@+()-]+)*");
  private static final List<String> RESERVED = List.of("true", "false", "null", "yes", "no", "on", "off", "~");

  private Yaml() {}

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    block(sb, value, 0);
    return sb.toString();
  }

  private static void block(StringBuilder sb, Object v, int indent) {
    switch (v) {
      case Map<?, ?> m when !m.isEmpty() -> {
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sb.repeat(' ', indent).append(e.getKey()).append(':');
          child(sb, e.getValue(), indent + 2);
        }
      }
      case List<?> l when !l.isEmpty() -> {
        for (Object o : l) {
          sb.repeat(' ', indent).append("-");
          if (o instanceof Map<?, ?> m && !m.isEmpty()) {
            StringBuilder inner = new StringBuilder();
            block(inner, o, indent + 2);
            sb.append(' ').append(inner.substring(indent + 2));
          } else {
            child(sb, o, indent + 2);
          }
        }
      }
      default -> sb.repeat(' ', indent).append(scalar(v)).append('\n');
    }
  }

  private static void child(StringBuilder sb, Object v, int indent) {
    if (v instanceof List<?> l && !l.isEmpty()) {
      // kubectl style: a sequence under a key starts at the key's own indentation.
      sb.append('\n');
      block(sb, v, indent - 2);
    } else if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      sb.append('\n');
      block(sb, v, indent);
    } else {
      sb.append(' ').append(scalar(v)).append('\n');
    }
  }

  private static String scalar(Object v) {
    return switch (v) {
      case null -> "null";
      case Map<?, ?> unused -> "{}";
      case List<?> unused -> "[]";
      case String s when PLAIN.matcher(s).matches() && !RESERVED.contains(s.toLowerCase(java.util.Locale.ROOT)) -> s;
      case String s -> io.peapod.base.json.Json.write(s);
      default -> String.valueOf(v);
    };
  }
}
