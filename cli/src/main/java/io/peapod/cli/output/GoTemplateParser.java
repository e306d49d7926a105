package io.peapod.cli.output;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cli.output.GoTemplate.Call;
import io.peapod.cli.output.GoTemplate.Expr;
import io.peapod.cli.output.GoTemplate.Field;
import io.peapod.cli.output.GoTemplate.If;
import io.peapod.cli.output.GoTemplate.Literal;
import io.peapod.cli.output.GoTemplate.Node;
import io.peapod.cli.output.GoTemplate.Print;
import io.peapod.cli.output.GoTemplate.Range;
import io.peapod.cli.output.GoTemplate.Text;
import java.util.ArrayList;
import java.util.List;

/// Reads a [GoTemplate]: text and `{{...}}` actions into nodes, with the trim markers applied and what
/// the subset does not support refused by name.
final class GoTemplateParser {
  private final String s;
  private int pos;
  /// The keyword (`end`, `else`) that stopped the last [#nodes], for its caller to check.
  private String pending;

  GoTemplateParser(String s) {
    this.s = s;
  }

  /// The whole template; an `end` or `else` left over is an error.
  List<Node> template() {
    List<Node> nodes = nodes(List.of());
    if (pending != null) {
      throw error("{{" + pending + "}} without its {{range}} or {{if}}");
    }
    return nodes;
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
