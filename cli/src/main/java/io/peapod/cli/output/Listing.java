package io.peapod.cli.output;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/// How `get` prints objects, whatever their kind, with kubectl's options: `-o wide|yaml|json|name`,
/// `-o jsonpath=TEMPLATE`, `-o go-template=TEMPLATE` ([GoTemplate]'s subset), `-o custom-columns=HEADER:PATH,...`, `--sort-by=PATH`, `--show-labels`,
/// `-L KEY,...` and `--no-headers`. The kind supplies its own table columns.
public final class Listing {
  /// A kind's table: its header and the row of one object (`wide` for `-o wide`).
  public interface Columns<T> {
    List<String> header(boolean wide);

    List<Object> row(T item, boolean wide);

    /// Columns that are the same with `-o wide`.
    static <T> Columns<T> of(List<String> header, java.util.function.Function<T, List<Object>> row) {
      return new Columns<>() {
        @Override
        public List<String> header(boolean wide) {
          return header;
        }

        @Override
        public List<Object> row(T item, boolean wide) {
          return row.apply(item);
        }
      };
    }
  }

  /// The options as given; [#of] checks them.
  public record Options(String output, boolean showLabels, List<String> labelColumns, boolean noHeaders,
      Optional<String> sortBy) {
    public Options {
      labelColumns = List.copyOf(labelColumns);
    }

    public static Options of(String output, boolean showLabels, List<String> labelColumns, boolean noHeaders,
        Optional<String> sortBy) {
      String format = output.contains("=") ? output.substring(0, output.indexOf('=')) : output;
      if (!List.of("", "wide", "yaml", "json", "name", "jsonpath", "custom-columns", "go-template").contains(format)) {
        throw new InvalidArgumentException("unknown output format '" + output + "'; use wide, yaml, json, name,"
            + " jsonpath=TEMPLATE, go-template=TEMPLATE or custom-columns=HEADER:PATH,...");
      }
      if (List.of("jsonpath", "custom-columns", "go-template").contains(format) && !output.contains("=")) {
        throw new InvalidArgumentException("-o " + format + " needs its template: -o " + format + "=...");
      }
      sortBy.ifPresent(JsonPath::parse);
      if (format.equals("go-template")) {
        GoTemplate.parse(unquote(output.substring(output.indexOf('=') + 1)));
      }
      List<String> keys = new ArrayList<>();
      labelColumns.forEach(l -> keys.addAll(List.of(l.split(","))));
      return new Options(output, showLabels, keys.stream().filter(k -> !k.isBlank()).toList(), noHeaders, sortBy);
    }

    boolean wide() {
      return output.equals("wide");
    }
  }

  private Listing() {}

  /// Prints `items`, the API's typed documents (one object when `single`, else a `List`); `kind` names
  /// them for `-o name` (`pod`, `deployment.apps`). `-o yaml|json|jsonpath|custom-columns` and
  /// `--sort-by` see each as the API wrote it; every kind has kubectl's `metadata.name` and `.labels`.
  public static <T extends Record> void print(PrintStream out, Options o, List<T> items, boolean single, String kind,
      Columns<T> columns) {
    List<Item<T>> all = items.stream().map(Item::new).toList();
    List<Item<T>> sorted = o.sortBy().map(path -> sort(all, JsonPath.parse(path))).orElse(all);
    String output = o.output();
    boolean document = output.equals("yaml") || output.equals("json") || output.startsWith("jsonpath=")
        || output.startsWith("go-template=");
    Object raw = !document ? Map.of() : single && sorted.size() == 1 ? sorted.getFirst().tree()
        : Map.of("apiVersion", "v1", "kind", "List", "items", sorted.stream().map(Item::tree).toList());
    if (output.equals("yaml")) {
      out.print(Yaml.write(raw));
    } else if (output.equals("json")) {
      out.print(Json.pretty(raw));
    } else if (output.equals("name")) {
      sorted.forEach(i -> out.println(kind + "/" + i.node().get("metadata").get("name").text("")));
    } else if (output.startsWith("jsonpath=")) {
      out.print(JsonPath.parse(unquote(output.substring(9))).apply(raw));
      out.flush();
    } else if (output.startsWith("go-template=")) {
      out.print(GoTemplate.parse(unquote(output.substring(12))).apply(raw));
      out.flush();
    } else if (output.startsWith("custom-columns=")) {
      customColumns(out, o, sorted, output.substring(15));
    } else {
      table(out, o, sorted, columns);
    }
  }

  /// A document and its JSON tree, made when first asked for (a plain table needs none): through the
  /// wire form, so that paths see numbers and texts as the daemon sent them.
  private static final class Item<T> {
    private final T value;
    private Object tree;

    Item(T value) {
      this.value = value;
    }

    T value() {
      return value;
    }

    Object tree() {
      if (tree == null) {
        tree = Json.parse(Json.write(value));
      }
      return tree;
    }

    JsonNode node() {
      return new JsonNode(tree());
    }
  }

  private static String unquote(String s) {
    return s.length() >= 2 && (s.startsWith("'") && s.endsWith("'") || s.startsWith("\"") && s.endsWith("\""))
        ? s.substring(1, s.length() - 1) : s;
  }

  private static <T> List<Item<T>> sort(List<Item<T>> items, JsonPath key) {
    Comparator<Item<T>> byKey = Comparator.comparing(i -> sortKey(key.values(i.tree())), Listing::compareKeys);
    return items.stream().sorted(byKey).toList();
  }

  private static String sortKey(List<Object> values) {
    return values.isEmpty() ? "" : JsonPath.format(values.getFirst());
  }

  /// Numbers by value, the rest as text, as `--sort-by` orders them.
  private static int compareKeys(String a, String b) {
    if (a.matches("-?\\d+(\\.\\d+)?") && b.matches("-?\\d+(\\.\\d+)?")) {
      return Double.compare(Double.parseDouble(a), Double.parseDouble(b));
    }
    return a.compareTo(b);
  }

  private static <T> void customColumns(PrintStream out, Options o, List<Item<T>> items, String spec) {
    List<String> headers = new ArrayList<>();
    List<JsonPath> paths = new ArrayList<>();
    for (String column : spec.split(",")) {
      int colon = column.indexOf(':');
      if (colon <= 0 || colon == column.length() - 1) {
        throw new InvalidArgumentException("custom-columns '" + column + "' must be HEADER:PATH (like"
            + " NAME:.metadata.name)");
      }
      headers.add(column.substring(0, colon));
      paths.add(JsonPath.parse(column.substring(colon + 1)));
    }
    Table t = new Table(headers.toArray(String[]::new));
    for (Item<T> i : items) {
      t.row(paths.stream().map(p -> {
        List<Object> v = p.values(i.tree());
        return v.isEmpty() ? "<none>" : String.join(",", v.stream().map(JsonPath::format).toList());
      }).toArray());
    }
    t.print(out, !o.noHeaders());
  }

  private static <T> void table(PrintStream out, Options o, List<Item<T>> items, Columns<T> columns) {
    List<String> header = new ArrayList<>(columns.header(o.wide()));
    o.labelColumns().forEach(k -> header.add(k.toUpperCase(Locale.ROOT)));
    if (o.showLabels()) {
      header.add("LABELS");
    }
    Table t = new Table(header.toArray(String[]::new));
    for (Item<T> i : items) {
      List<Object> row = new ArrayList<>(columns.row(i.value(), o.wide()));
      Map<String, String> labels = o.labelColumns().isEmpty() && !o.showLabels() ? Map.of() : labels(i.node());
      o.labelColumns().forEach(k -> row.add(labels.getOrDefault(k, "")));
      if (o.showLabels()) {
        row.add(labels.isEmpty() ? "<none>" : String.join(",", labels.entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue()).toList()));
      }
      t.row(row.toArray());
    }
    t.print(out, !o.noHeaders());
  }

  private static Map<String, String> labels(JsonNode item) {
    Map<String, String> labels = new TreeMap<>();
    JsonNode l = item.get("metadata").get("labels");
    l.keys().forEach(k -> labels.put(k, l.get(k).text("")));
    return labels;
  }
}
