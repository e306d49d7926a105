package io.peapod.base.labels;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/// A set of requirements that all must hold. The empty selector matches everything (as `-l` absent),
/// and [#NOTHING] matches nothing (as a workload's missing selector must not adopt every pod).
public record LabelSelector(List<Requirement> requirements) {
  public static final LabelSelector EVERYTHING = new LabelSelector(List.of());
  private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*"
      + "[A-Za-z0-9])?");
  private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

  public LabelSelector {
    requirements = List.copyOf(requirements);
  }

  /// How a key is compared, with the operator names of `matchExpressions`.
  public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

  /// One condition on one label.
  public record Requirement(String key, Operator operator, Set<String> values) {
    public Requirement {
      values = Set.copyOf(values);
    }

    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (operator) {
        case IN -> v != null && values.contains(v);
        case NOT_IN -> v == null || !values.contains(v);
        case EXISTS -> v != null;
        case DOES_NOT_EXIST -> v == null;
      };
    }
  }

  public boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  public boolean isEmpty() {
    return requirements.isEmpty();
  }

  /// A selector that requires each of `labels` (a workload's `matchLabels`).
  public static LabelSelector of(Map<String, String> labels) {
    List<Requirement> rs = new ArrayList<>();
    new TreeMap<>(labels).forEach((k, v) -> rs.add(new Requirement(k, Operator.IN, Set.of(v))));
    return new LabelSelector(rs);
  }

  /// This selector with `other`'s requirements added.
  public LabelSelector and(LabelSelector other) {
    List<Requirement> rs = new ArrayList<>(requirements);
    rs.addAll(other.requirements);
    return new LabelSelector(rs);
  }

  /// Parses kubectl's `-l` syntax: comma-separated `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a)`,
  /// `k` and `!k`.
  public static LabelSelector parse(String text) {
    List<Requirement> rs = new ArrayList<>();
    for (String term : splitTerms(text)) {
      String t = term.strip();
      if (t.isEmpty()) {
        throw bad(text, "an empty requirement");
      }
      rs.add(requirement(t, text));
    }
    return new LabelSelector(rs);
  }

  private static Requirement requirement(String t, String text) {
    if (t.startsWith("!")) {
      return new Requirement(key(t.substring(1).strip(), text), Operator.DOES_NOT_EXIST, Set.of());
    }
    var set = Pattern.compile("^(\\S+)\\s+(in|notin)\\s*\\((.*)\\)$").matcher(t);
    if (set.matches()) {
      Set<String> values = new java.util.HashSet<>();
      for (String v : set.group(3).split(",")) {
        values.add(value(v.strip(), text));
      }
      return new Requirement(key(set.group(1), text), set.group(2).equals("in") ? Operator.IN : Operator.NOT_IN,
          values);
    }
    int ne = t.indexOf("!=");
    if (ne > 0) {
      return new Requirement(key(t.substring(0, ne).strip(), text), Operator.NOT_IN,
          Set.of(value(t.substring(ne + 2).strip(), text)));
    }
    int eq = t.indexOf('=');
    if (eq > 0) {
      String v = t.substring(t.startsWith("==", eq) ? eq + 2 : eq + 1).strip();
      return new Requirement(key(t.substring(0, eq).strip(), text), Operator.IN, Set.of(value(v, text)));
    }
    return new Requirement(key(t, text), Operator.EXISTS, Set.of());
  }

  /// Commas separate requirements except inside the parentheses of `in (...)`.
  private static List<String> splitTerms(String text) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        out.add(text.substring(start, i));
        start = i + 1;
      }
    }
    if (depth != 0) {
      throw bad(text, "unbalanced parentheses");
    }
    out.add(text.substring(start));
    return out;
  }

  private static String key(String k, String text) {
    if (!KEY.matcher(k).matches() || k.length() > 316) {
      throw bad(text, "'" + k + "' is not a valid label key");
    }
    return k;
  }

  private static String value(String v, String text) {
    if (!VALUE.matcher(v).matches() || v.length() > 63) {
      throw bad(text, "'" + v + "' is not a valid label value");
    }
    return v;
  }

  private static InvalidArgumentException bad(String text, String what) {
    return new InvalidArgumentException("label selector '" + text + "': " + what
        + "; write it as kubectl does, e.g. app=web,tier!=db,env in (a,b),!legacy");
  }

  /// The selector in `-l` syntax, for messages and `-o wide` columns.
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Requirement r : requirements) {
      List<String> vs = r.values().stream().sorted().toList();
      parts.add(switch (r.operator()) {
        case IN -> vs.size() == 1 ? r.key() + "=" + vs.getFirst() : r.key() + " in (" + String.join(",", vs) + ")";
        case NOT_IN -> vs.size() == 1 ? r.key() + "!=" + vs.getFirst() : r.key() + " notin (" + String.join(",", vs)
            + ")";
        case EXISTS -> r.key();
        case DOES_NOT_EXIST -> "!" + r.key();
      });
    }
    return String.join(",", parts);
  }
}
