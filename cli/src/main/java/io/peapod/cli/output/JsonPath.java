package io.peapod.cli.output;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// The subset of kubectl's JSONPath templates that scripts use: literal text, `{.a.b}`, `{.a[0]}`,
/// `{.a[*].b}`, `{.a['key.with.dots']}`, `{..name}` (every `name` at any depth), `{range .a[*]}...{end}`,
/// and `{"\n"}` / `{'\t'}` literals. Several results are joined by a space, as kubectl joins them;
/// objects and lists print as JSON. A path that matches nothing prints nothing; a template kubectl
/// would refuse is an [InvalidArgumentException] naming the problem.
public final class JsonPath {
  private sealed interface Node {}

  private record Text(String text) implements Node {}

  private record Path(List<Step> steps) implements Node {}

  private record Range(Path over, List<Node> body) implements Node {}

  private sealed interface Step {}

  private record Field(String name) implements Step {}

  private record Index(int index) implements Step {}

  private record All() implements Step {}

  private record Descend(String name) implements Step {}

  private final List<Node> template;

  private JsonPath(List<Node> template) {
    this.template = template;
  }

  /// Parses a template (`{.metadata.name}`; a bare `.metadata.name` is taken as one, as custom-columns writes it).
  public static JsonPath parse(String template) {
    String t = template.startsWith(".") && !template.contains("{") ? "{" + template + "}" : template;
    int[] pos = {0};
    List<Node> nodes = parseNodes(t, pos, false);
    return new JsonPath(nodes);
  }

  private static List<Node> parseNodes(String t, int[] pos, boolean inRange) {
    List<Node> nodes = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (pos[0] < t.length()) {
      char c = t.charAt(pos[0]);
      if (c != '{') {
        text.append(c);
        pos[0]++;
        continue;
      }
      int close = t.indexOf('}', pos[0]);
      if (close < 0) {
        throw new InvalidArgumentException("jsonpath '" + t + "': unclosed '{'");
      }
      String expr = t.substring(pos[0] + 1, close).trim();
      pos[0] = close + 1;
      if (!text.isEmpty()) {
        nodes.add(new Text(text.toString()));
        text.setLength(0);
      }
      if (expr.equals("end")) {
        if (!inRange) {
          throw new InvalidArgumentException("jsonpath '" + t + "': {end} without {range}");
        }
        return nodes;
      }
      if (expr.startsWith("range ")) {
        Path over = path(expr.substring(6).trim(), t);
        nodes.add(new Range(over, parseNodes(t, pos, true)));
      } else if ((expr.startsWith("\"") && expr.endsWith("\"") || expr.startsWith("'") && expr.endsWith("'"))
          && expr.length() >= 2) {
        nodes.add(new Text(unescape(expr.substring(1, expr.length() - 1))));
      } else {
        nodes.add(path(expr, t));
      }
    }
    if (inRange) {
      throw new InvalidArgumentException("jsonpath '" + t + "': {range} without {end}");
    }
    if (!text.isEmpty()) {
      nodes.add(new Text(text.toString()));
    }
    return nodes;
  }

  private static String unescape(String s) {
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\r", "\r");
  }

  private static Path path(String expr, String t) {
    String e = expr.startsWith("$") ? expr.substring(1) : expr;
    if (!e.isEmpty() && !e.startsWith(".") && !e.startsWith("[")) {
      throw new InvalidArgumentException("jsonpath '" + t + "': '" + expr + "' must start with '.' (like"
          + " {.metadata.name})");
    }
    List<Step> steps = new ArrayList<>();
    int i = 0;
    while (i < e.length()) {
      char c = e.charAt(i);
      if (c == '.' && i + 1 < e.length() && e.charAt(i + 1) == '.') {
        int end = nameEnd(e, i + 2);
        steps.add(new Descend(e.substring(i + 2, end)));
        i = end;
      } else if (c == '.') {
        int end = nameEnd(e, i + 1);
        if (end > i + 1) {
          steps.add(new Field(e.substring(i + 1, end)));
        }
        i = end;
      } else if (c == '[') {
        int close = e.indexOf(']', i);
        if (close < 0) {
          throw new InvalidArgumentException("jsonpath '" + t + "': unclosed '['");
        }
        String in = e.substring(i + 1, close).trim();
        if (in.equals("*")) {
          steps.add(new All());
        } else if (in.matches("-?\\d+")) {
          steps.add(new Index(Integer.parseInt(in)));
        } else if ((in.startsWith("'") && in.endsWith("'")) || (in.startsWith("\"") && in.endsWith("\""))) {
          steps.add(new Field(in.substring(1, in.length() - 1)));
        } else {
          throw new InvalidArgumentException("jsonpath '" + t + "': '[" + in + "]' is not supported (use [N], [*]"
              + " or ['key'])");
        }
        i = close + 1;
      } else {
        throw new InvalidArgumentException("jsonpath '" + t + "': unexpected '" + c + "' in '" + expr + "'");
      }
    }
    return new Path(steps);
  }

  private static int nameEnd(String e, int from) {
    int i = from;
    while (i < e.length() && e.charAt(i) != '.' && e.charAt(i) != '[') {
      i++;
    }
    return i;
  }

  /// The template applied to `root` (parsed JSON: maps, lists, scalars).
  public String apply(Object root) {
    StringBuilder out = new StringBuilder();
    render(template, root, out);
    return out.toString();
  }

  /// The values the template's first path finds in `root`, for a column or a sort key.
  public List<Object> values(Object root) {
    for (Node n : template) {
      if (n instanceof Path p) {
        return eval(p, root);
      }
    }
    return List.of();
  }

  private static void render(List<Node> nodes, Object root, StringBuilder out) {
    for (Node n : nodes) {
      switch (n) {
        case Text t -> out.append(t.text());
        case Path p -> {
          List<String> parts = eval(p, root).stream().map(JsonPath::format).toList();
          out.append(String.join(" ", parts));
        }
        case Range r -> {
          for (Object item : eval(r.over(), root)) {
            render(r.body(), item, out);
          }
        }
      }
    }
  }

  /// A value as kubectl prints it: text as is, numbers and booleans as written, the rest as JSON.
  public static String format(Object v) {
    return switch (v) {
      case null -> "";
      case String s -> s;
      case Map<?, ?> m -> Json.write(m);
      case List<?> l -> Json.write(l);
      default -> String.valueOf(v);
    };
  }

  private static List<Object> eval(Path p, Object root) {
    List<Object> current = new ArrayList<>();
    current.add(root);
    for (Step s : p.steps()) {
      List<Object> next = new ArrayList<>();
      for (Object o : current) {
        switch (s) {
          case Field f -> {
            if (o instanceof Map<?, ?> m && m.containsKey(f.name())) {
              next.add(m.get(f.name()));
            }
          }
          case Index x -> {
            if (o instanceof List<?> l) {
              int i = x.index() < 0 ? l.size() + x.index() : x.index();
              if (i >= 0 && i < l.size()) {
                next.add(l.get(i));
              }
            }
          }
          case All a -> {
            if (o instanceof List<?> l) {
              next.addAll(l);
            } else if (o instanceof Map<?, ?> m) {
              next.addAll(m.values());
            }
          }
          case Descend d -> descend(o, d.name(), next);
        }
      }
      current = next;
    }
    return current;
  }

  private static void descend(Object o, String name, List<Object> found) {
    if (o instanceof Map<?, ?> m) {
      if (m.containsKey(name)) {
        found.add(m.get(name));
      }
      m.values().forEach(v -> descend(v, name, found));
    } else if (o instanceof List<?> l) {
      l.forEach(v -> descend(v, name, found));
    }
  }
}
