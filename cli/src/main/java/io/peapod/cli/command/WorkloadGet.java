package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Table;
import io.peapod.cli.output.WorkloadRows;
import io.peapod.cli.output.Yaml;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `get jobs|deployments|replicasets|daemonsets|statefulsets [NAME...]` with `-l`, `-A` and
/// `-o wide|yaml|json|name`, as kubectl prints them.
final class WorkloadGet {
  private WorkloadGet() {}

  static int run(ParsedArgs a, Context ctx, String plural, List<String> names) {
    boolean all = a.has("all-namespaces");
    String output = a.value("output", "");
    if (!List.of("", "wide", "yaml", "json", "name").contains(output)) {
      throw new InvalidArgumentException("unknown output format '" + output + "'; use wide, yaml, json or name");
    }
    List<JsonNode> items;
    Object raw;
    if (!names.isEmpty()) {
      items = names.stream().map(n -> ctx.client().get("/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + n,
          Map.of())).toList();
      raw = items.size() == 1 ? items.getFirst().raw() : WorkloadRows.list(items.stream().map(JsonNode::raw).toList());
    } else {
      Map<String, String> q = new LinkedHashMap<>(all ? Map.of("all", "true") : Map.of("namespace", ctx.namespace()));
      a.value("selector").ifPresent(s -> q.put("selector", s));
      JsonNode list = ctx.client().get("/v1/workloads/" + plural, q);
      items = list.get("items").list();
      raw = WorkloadRows.list(list.get("items").raw());
    }
    switch (output) {
      case "yaml" -> ctx.io().out().print(Yaml.write(withoutDetail(raw)));
      case "json" -> ctx.io().out().print(Json.pretty(withoutDetail(raw)));
      case "name" -> items.forEach(w -> ctx.io().out().println(Resources.ref(plural,
          w.get("metadata").get("name").text(""))));
      default -> {
        if (items.isEmpty()) {
          ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
          return 0;
        }
        Table t = new Table(WorkloadRows.header(plural, output.equals("wide"), all).toArray(String[]::new));
        Instant now = Instant.now();
        items.forEach(w -> t.row(WorkloadRows.row(plural, w, output.equals("wide"), all, now).toArray()));
        t.print(ctx.io().out());
      }
    }
    return 0;
  }

  /// One object's `pods` and `owns` are for `describe`; `-o yaml` shows the object as the API has it.
  private static Object withoutDetail(Object raw) {
    if (raw instanceof Map<?, ?> m && m.containsKey("pods")) {
      Map<Object, Object> copy = new LinkedHashMap<>(m);
      copy.remove("pods");
      copy.remove("owns");
      return copy;
    }
    return raw;
  }
}
