package io.peapod.cli.args;

import io.peapod.base.error.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Parsed flags (by long name) and positional arguments; everything after `--` is positional.
public record ParsedArgs(Map<String, List<String>> values, List<String> positionals) {
  public ParsedArgs {
    values = Map.copyOf(values);
    positionals = List.copyOf(positionals);
  }

  public static ParsedArgs parse(List<String> args, List<Flag> flags) {
    Map<String, Flag> byName = new LinkedHashMap<>();
    flags.forEach(f -> f.names().forEach(n -> byName.put(n, f)));
    Map<String, List<String>> values = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--")) {
        positionals.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (!a.startsWith("-") || a.equals("-")) {
        positionals.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      Flag f = byName.get(name);
      if (f == null && !a.startsWith("--") && a.length() > 2) {
        // Bundled short flags (-it) or a short flag with its value attached (-cweb).
        Flag first = byName.get(a.substring(0, 2));
        if (first != null && first.takesValue()) {
          values.computeIfAbsent(first.key(), k -> new ArrayList<>()).add(a.substring(2));
          continue;
        }
        for (char c : a.substring(1).toCharArray()) {
          Flag b = byName.get("-" + c);
          if (b == null || b.takesValue()) {
            throw new InvalidArgumentException("unknown flag '-" + c + "' in '" + a + "'");
          }
          values.computeIfAbsent(b.key(), k -> new ArrayList<>()).add("true");
        }
        continue;
      }
      if (f == null) {
        throw new InvalidArgumentException("unknown flag '" + name + "'");
      }
      String value;
      if (!f.takesValue()) {
        value = "true";
      } else if (eq > 0 && a.startsWith("--")) {
        value = a.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new InvalidArgumentException("flag " + name + " needs a value");
      }
      values.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(value);
    }
    return new ParsedArgs(values, positionals);
  }

  public boolean has(String key) {
    return values.containsKey(key);
  }

  public Optional<String> value(String key) {
    List<String> v = values.get(key);
    return v == null ? Optional.empty() : Optional.of(v.getLast());
  }

  public String value(String key, String fallback) {
    return value(key).orElse(fallback);
  }

  public List<String> all(String key) {
    return values.getOrDefault(key, List.of());
  }

  public String positional(int i, String what) {
    if (i >= positionals.size()) {
      throw new InvalidArgumentException("missing " + what);
    }
    return positionals.get(i);
  }
}
