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
  sealed interface Node {}

  record Text(String text) implements Node {}

  record Print(Expr expr) implements Node {}

  record Range(Expr over, List<Node> body, List<Node> otherwise) implements Node {}

  record If(Expr test, List<Node> then, List<Node> otherwise) implements Node {}

  sealed interface Expr {}

  /// `.a.b`; an empty path is dot itself.
  record Field(List<String> path) implements Expr {}

  record Literal(Object value) implements Expr {}

  record Call(String function, List<Expr> args) implements Expr {}

  private static final Object NO_VALUE = new Object();
  private final List<Node> nodes;

  private GoTemplate(List<Node> nodes) {
    this.nodes = nodes;
  }

  public static GoTemplate parse(String template) {
    return new GoTemplate(new GoTemplateParser(template).template());
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
}
