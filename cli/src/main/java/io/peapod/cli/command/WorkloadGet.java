package io.peapod.cli.command;

import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Listing;
import io.peapod.cli.output.WorkloadRows;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `get jobs|deployments|replicasets|daemonsets|statefulsets [NAME...]` with `-l`, `-A` and [Listing]'s
/// options, as kubectl prints them.
final class WorkloadGet {
  private WorkloadGet() {}

  static int run(ParsedArgs a, Context ctx, String plural, List<String> names) {
    boolean all = a.has("all-namespaces");
    Listing.Options o = GetCommand.options(a);
    List<JsonNode> items;
    if (!names.isEmpty()) {
      items = names.stream().map(n -> ctx.client().get("/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + n,
          Map.of())).toList();
    } else {
      Map<String, String> q = new LinkedHashMap<>(all ? Map.of("all", "true") : Map.of("namespace", ctx.namespace()));
      a.value("selector").ifPresent(s -> q.put("selector", s));
      items = ctx.client().get("/v1/workloads/" + plural, q).get("items").list();
    }
    if (items.isEmpty() && GetCommand.isTable(o)) {
      ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
      return 0;
    }
    Instant now = Instant.now();
    Listing.print(ctx.io().out(), o, items, names.size() == 1, Resources.kind(plural),
        new Listing.Columns() {
          @Override
          public List<String> header(boolean wide) {
            return WorkloadRows.header(plural, wide, all);
          }

          @Override
          public List<Object> row(JsonNode w, boolean wide) {
            return WorkloadRows.row(plural, w, wide, all, now);
          }
        }, WorkloadGet::withoutDetail);
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
