package io.peapod.base.json;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// Parses and writes JSON (RFC 8259). Objects keep their key order, so written files are stable.
public final class Json {
  private Json() {}

  /// Parses one JSON document; trailing content other than white space is an error.
  public static Object parse(String text) {
    Parser p = new Parser(text);
    p.skipWs();
    Object v = p.value();
    p.skipWs();
    if (p.pos != text.length()) {
      throw p.error("unexpected trailing content");
    }
    return v;
  }

  public static JsonNode parseNode(String text) {
    return new JsonNode(parse(text));
  }

  /// Writes a value compactly.
  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1, 0);
    return sb.toString();
  }

  /// Writes a value indented by two spaces, for files a person may read.
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 2, 0);
    return sb.append('\n').toString();
  }

  private static void write(StringBuilder sb, Object v, int indent, int depth) {
    switch (v) {
      case null -> sb.append("null");
      case String s -> quote(sb, s);
      case Boolean b -> sb.append(b);
      case Double d when d.isNaN() || d.isInfinite() -> sb.append("null");
      case Float f when f.isNaN() || f.isInfinite() -> sb.append("null");
      case Number n -> sb.append(n);
      case JsonNode n -> write(sb, n.raw(), indent, depth);
      case Record r -> write(sb, JsonRecords.tree(r), indent, depth);
      case Map<?, ?> m -> {
        sb.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          newline(sb, indent, depth + 1);
          quote(sb, String.valueOf(e.getKey()));
          sb.append(indent >= 0 ? ": " : ":");
          write(sb, e.getValue(), indent, depth + 1);
        }
        if (!m.isEmpty()) {
          newline(sb, indent, depth);
        }
        sb.append('}');
      }
      case Iterable<?> l -> {
        sb.append('[');
        boolean first = true;
        for (Object o : l) {
          if (!first) {
            sb.append(',');
          }
          first = false;
          newline(sb, indent, depth + 1);
          write(sb, o, indent, depth + 1);
        }
        if (!first) {
          newline(sb, indent, depth);
        }
        sb.append(']');
      }
      case Enum<?> e -> quote(sb, e.name());
      default -> throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }
  }

  private static void newline(StringBuilder sb, int indent, int depth) {
    if (indent >= 0) {
      sb.append('\n').repeat(' ', indent * depth);
    }
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }

  private static final class Parser {
    /// No document peapod reads nests deeper; input that does is refused before it exhausts the stack.
    private static final int MAX_DEPTH = 512;
    private final String s;
    private int pos;
    private int depth;

    Parser(String s) {
      this.s = s;
    }

    InvalidArgumentException error(String what) {
      return new InvalidArgumentException("malformed json at offset " + pos + ": " + what);
    }

    void skipWs() {
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
          pos++;
        } else {
          break;
        }
      }
    }

    Object value() {
      if (pos >= s.length()) {
        throw error("unexpected end of input");
      }
      char c = s.charAt(pos);
      if ((c == '{' || c == '[') && ++depth > MAX_DEPTH) {
        throw error("nested deeper than " + MAX_DEPTH + " levels");
      }
      return switch (c) {
        case '{' -> nested(object());
        case '[' -> nested(array());
        case '"' -> string();
        case 't' -> literal("true", Boolean.TRUE);
        case 'f' -> literal("false", Boolean.FALSE);
        case 'n' -> literal("null", null);
        default -> {
          if (c == '-' || (c >= '0' && c <= '9')) {
            yield number();
          }
          throw error("unexpected character '" + c + "'");
        }
      };
    }

    private Object nested(Object value) {
      depth--;
      return value;
    }

    private Object literal(String word, Object v) {
      if (!s.startsWith(word, pos)) {
        throw error("expected " + word);
      }
      pos += word.length();
      return v;
    }

    private Map<String, Object> object() {
      Map<String, Object> m = new LinkedHashMap<>();
      pos++;
      skipWs();
      if (peek() == '}') {
        pos++;
        return m;
      }
      while (true) {
        skipWs();
        if (peek() != '"') {
          throw error("expected a key");
        }
        String k = string();
        skipWs();
        expect(':');
        skipWs();
        m.put(k, value());
        skipWs();
        char c = next();
        if (c == '}') {
          return m;
        }
        if (c != ',') {
          throw error("expected ',' or '}'");
        }
      }
    }

    private List<Object> array() {
      List<Object> l = new ArrayList<>();
      pos++;
      skipWs();
      if (peek() == ']') {
        pos++;
        return l;
      }
      while (true) {
        skipWs();
        l.add(value());
        skipWs();
        char c = next();
        if (c == ']') {
          return l;
        }
        if (c != ',') {
          throw error("expected ',' or ']'");
        }
      }
    }

    private String string() {
      pos++;
      StringBuilder sb = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return sb.toString();
        }
        if (c == '\\') {
          char e = next();
          switch (e) {
            case '"', '\\', '/' -> sb.append(e);
            case 'n' -> sb.append('\n');
            case 'r' -> sb.append('\r');
            case 't' -> sb.append('\t');
            case 'b' -> sb.append('\b');
            case 'f' -> sb.append('\f');
            case 'u' -> {
              if (pos + 4 > s.length()) {
                throw error("short unicode escape");
              }
              try {
                sb.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
              } catch (NumberFormatException bad) {
                throw error("bad unicode escape '\\u" + s.substring(pos, pos + 4) + "'");
              }
              pos += 4;
            }
            default -> throw error("bad escape '\\" + e + "'");
          }
        } else {
          sb.append(c);
        }
      }
    }

    private Object number() {
      int start = pos;
      boolean fraction = false;
      while (pos < s.length()) {
        char c = s.charAt(pos);
        if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
          pos++;
        } else if (c == '.' || c == 'e' || c == 'E') {
          fraction = true;
          pos++;
        } else {
          break;
        }
      }
      String n = s.substring(start, pos);
      try {
        return fraction ? (Object) Double.parseDouble(n) : (Object) Long.parseLong(n);
      } catch (NumberFormatException e) {
        try {
          // A whole number too large for a long.
          return Double.parseDouble(n);
        } catch (NumberFormatException bad) {
          throw error("bad number '" + n + "'");
        }
      }
    }

    private char peek() {
      if (pos >= s.length()) {
        throw error("unexpected end of input");
      }
      return s.charAt(pos);
    }

    private char next() {
      char c = peek();
      pos++;
      return c;
    }

    private void expect(char c) {
      if (next() != c) {
        pos--;
        throw error("expected '" + c + "'");
      }
    }
  }
}
