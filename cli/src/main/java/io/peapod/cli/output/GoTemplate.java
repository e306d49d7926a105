package io.peapod.cli.output;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// The part of Go's text/template that `kubectl get -o go-template=...` is scripted with: text,
/// `{{.field.path}}` and `{{.}}`, quoted strings, `{{index X "key"}}` and `{{index X 0}}`, `{{len X}}`,
/// `{{range X}}...{{else}}...{{end}}` (dot is each element), `{{if X}}...{{else}}...{{end}}`, and the
/// `{{-`/`-}}` trim markers. A missing map key prints `<no value>`, as Go does. Anything else (pipes,
/// variables, other functions) is refused by name rather than printed wrong.
public final class GoTemplate {
  private sealed interface Node {}

  private record Text(String text) implements Node {}

  private record Print(Expr expr) implements Node {}

  private record Range(Expr over, List<Node> body, List<Node> otherwise) implements Node {}

  private record If(Expr test, List<Node> then, List<Node> otherwise) implements Node {}

  private sealed interface Expr {}

  /// `.a.b`; an empty path is dot itself.
  private record Field(List<String> path) implements Expr {}

  private record Literal(Object value) implements Expr {}

  private record Call(String function, List<Expr> args) implements Expr {}

  private static final Object NO_VALUE = new Object();
  private final List<Node> nodes;

  private GoTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  public static GoTemplate parse(String template) {
    Parser p = new Parser(template);
    List<Node> nodes = p.nodes(List.of());
    if (p.pending != null) {
      throw p.error("{{" + p.pending + "}} without its {{range}} or {{if}}");
    }
    return new GoTemplate(nodes);
  }

  /// Runs the template with `root` (maps, lists, strings, numbers, booleans) as dot.
  public String apply(Object root) {
    StringBuilder out = new StringBuilder();
    run(nodes, root, out);
    return out.toString();
  }

  private static void run(List<Node> nodes, Object dot, StringBuilder out) {
    for (Node n : nodes) {
      switch (n) {
        case Text t -> out.append(t.text());
        case Print p -> out.append(format(eval(p.expr(), dot)));
        case If i -> run(truthy(eval(i.test(), dot)) ? i.then() : i.otherwise(), dot, out);
        case Range r -> {
          Object over = eval(r.over(), dot);
          List<Object> items = new ArrayList<>();
          if (over instanceof List<?> l) {
            items.addAll(l);
          } else if (over instanceof Map<?, ?> m) {
            // Go ranges over a map's values in key order.
            new java.util.TreeMap<>(m).values().forEach(items::add);
          } else if (over != null && over != NO_VALUE) {
            throw new InvalidArgumentException("go-template: range can't iterate over " + format(over));
          }
          if (items.isEmpty()) {
            run(r.otherwise(), dot, out);
          }
          items.forEach(item -> run(r.body(), item, out));
        }
      }
    }
  }

  private static Object eval(Expr e, Object dot) {
    return switch (e) {
      case Literal l -> l.value();
      case Field f -> {
        Object v = dot;
        for (String key : f.path()) {
          if (!(v instanceof Map<?, ?> m)) {
            yield NO_VALUE;
          }
          v = m.containsKey(key) ? m.get(key) : NO_VALUE;
        }
        yield v;
      }
      case Call c when c.function().equals("len") -> {
        Object v = eval(c.args().getFirst(), dot);
        yield v instanceof List<?> l ? (long) l.size() : v instanceof Map<?, ?> m ? (long) m.size()
            : v instanceof String s ? (long) s.length() : 0L;
      }
      case Call c -> {
        Object v = eval(c.args().getFirst(), dot);
        for (Expr keyExpr : c.args().subList(1, c.args().size())) {
          Object key = eval(keyExpr, dot);
          if (v instanceof Map<?, ?> m) {
            v = m.containsKey(String.valueOf(key)) ? m.get(String.valueOf(key)) : NO_VALUE;
          } else if (v instanceof List<?> l && key instanceof Number i) {
            if (i.intValue() < 0 || i.intValue() >= l.size()) {
              throw new InvalidArgumentException("go-template: index out of range: " + i);
            }
            v = l.get(i.intValue());
          } else {
            v = NO_VALUE;
          }
        }
        yield v;
      }
    };
  }

  private static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case Number n -> n.doubleValue() != 0;
      case String s -> !s.isEmpty();
      case List<?> l -> !l.isEmpty();
      case Map<?, ?> m -> !m.isEmpty();
      default -> v != NO_VALUE;
    };
  }

  /// Go's `%v`: numbers without a needless `.0`, maps as `map[k:v]`, lists as `[a b]`.
  private static String format(Object v) {
    if (v == NO_VALUE) {
      return "<no value>";
    }
    return switch (v) {
      case null -> "<nil>";
      case Double d when d == Math.rint(d) && Math.abs(d) < 1e15 -> String.valueOf(d.longValue());
      case Map<?, ?> m -> {
        StringBuilder sb = new StringBuilder("map[");
        new java.util.TreeMap<>(m).forEach((k, x) -> sb.append(sb.length() > 4 ? " " : "").append(k).append(':')
            .append(format(x)));
        yield sb.append(']').toString();
      }
      case List<?> l -> "[" + String.join(" ", l.stream().map(GoTemplate::format).toList()) + "]";
      default -> String.valueOf(v);
    };
  }

  private static final class Parser {
    private final String s;
    private int pos;
    /// The keyword (`end`, `else`) that stopped the last [#nodes], for its caller to check.
    private String pending;

    Parser(String s) {
      this.s = s;
    }

    InvalidArgumentException error(String what) {
      return new InvalidArgumentException("go-template at offset " + pos + ": " + what);
    }

    /// Nodes up to one of `stops` (`end`, `else`), which is left in [#pending].
    List<Node> nodes(List<String> stops) {
      List<Node> out = new ArrayList<>();
      pending = null;
      while (pos < s.length()) {
        int open = s.indexOf("{{", pos);
        if (open < 0) {
          out.add(new Text(s.substring(pos)));
          pos = s.length();
          break;
        }
        boolean trimLeft = s.startsWith("{{-", open) && open + 3 < s.length() && Character.isWhitespace(s.charAt(open + 3));
        String text = s.substring(pos, open);
        if (trimLeft) {
          text = text.stripTrailing();
        }
        if (!text.isEmpty()) {
          out.add(new Text(text));
        }
        int close = s.indexOf("}}", open + 2);
        if (close < 0) {
          pos = open;
          throw error("unclosed {{");
        }
        String action = s.substring(open + (trimLeft ? 3 : 2), close);
        boolean trimRight = action.endsWith(" -") || action.equals("-");
        if (trimRight) {
          action = action.substring(0, action.length() - 1);
        }
        pos = close + 2;
        if (trimRight) {
          while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
          }
        }
        List<String> words = words(action.strip());
        if (words.isEmpty()) {
          throw error("empty action {{}}");
        }
        String head = words.getFirst();
        if ((head.equals("end") || head.equals("else")) && words.size() > 1) {
          throw error("{{" + String.join(" ", words) + "}}: " + (head.equals("else") ? "else if and else with"
              + " arguments are not supported; nest an {{if}} in the {{else}}" : "end takes nothing"));
        }
        if (head.equals("end") || head.equals("else")) {
          if (!stops.contains(head)) {
            throw error("{{" + head + "}} without its {{range}} or {{if}}");
          }
          pending = head;
          return out;
        }
        if (head.equals("range") || head.equals("if")) {
          Expr e = expr(words.subList(1, words.size()));
          List<Node> body = nodes(List.of("end", "else"));
          List<Node> otherwise = List.of();
          if ("else".equals(pending)) {
            otherwise = nodes(List.of("end"));
          }
          if (!"end".equals(pending)) {
            throw error("{{" + head + "}} without its {{end}}");
          }
          pending = null;
          out.add(head.equals("range") ? new Range(e, body, otherwise) : new If(e, body, otherwise));
          continue;
        }
        out.add(new Print(expr(words)));
      }
      return out;
    }

    private Expr expr(List<String> words) {
      if (words.isEmpty()) {
        throw error("missing value");
      }
      String head = words.getFirst();
      if (head.equals("index") || head.equals("len")) {
        if (words.size() < 2 || (head.equals("len") && words.size() != 2)) {
          throw error(head + " needs " + (head.equals("len") ? "one argument" : "a value and keys"));
        }
        return new Call(head, words.subList(1, words.size()).stream().map(this::operand).toList());
      }
      if (words.size() != 1) {
        throw error("'" + String.join(" ", words) + "': only fields, strings, numbers, index and len are supported");
      }
      return operand(head);
    }

    private Expr operand(String w) {
      if (w.equals(".")) {
        return new Field(List.of());
      }
      if (w.startsWith(".")) {
        return new Field(List.of(w.substring(1).split("\\.")));
      }
      if (w.startsWith("\"")) {
        return new Literal(unquote(w));
      }
      if (w.matches("-?\\d+")) {
        return new Literal(Long.parseLong(w));
      }
      if (w.equals("true") || w.equals("false")) {
        return new Literal(Boolean.parseBoolean(w));
      }
      throw error("'" + w + "' is not supported (pipes, variables and functions other than index and len are not)");
    }

    /// Words of an action; a quoted string (with Go's `\n`, `\t`, `\"`, `\\`) is one word.
    private List<String> words(String action) {
      List<String> out = new ArrayList<>();
      int i = 0;
      while (i < action.length()) {
        char c = action.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (c == '"') {
          int j = i + 1;
          while (j < action.length() && action.charAt(j) != '"') {
            j += action.charAt(j) == '\\' ? 2 : 1;
          }
          if (j >= action.length()) {
            throw error("unterminated string");
          }
          out.add(action.substring(i, j + 1));
          i = j + 1;
        } else if (c == '|' || c == '$' || c == '(') {
          throw error("'" + c + "' (pipes, variables, parentheses) is not supported");
        } else {
          int j = i;
          while (j < action.length() && !Character.isWhitespace(action.charAt(j))) {
            j++;
          }
          String word = action.substring(i, j);
          // Go reads `range.items` as `range .items`.
          int dot = word.indexOf('.');
          if (dot > 0 && List.of("range", "if", "len", "index").contains(word.substring(0, dot))) {
            out.add(word.substring(0, dot));
            word = word.substring(dot);
          }
          out.add(word);
          i = j;
        }
      }
      return out;
    }

    private static String unquote(String w) {
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < w.length() - 1; i++) {
        char c = w.charAt(i);
        if (c == '\\' && i + 1 < w.length() - 1) {
          char n = w.charAt(++i);
          sb.append(switch (n) {
            case 'n' -> '\n';
            case 't' -> '\t';
            default -> n;
          });
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }
}
