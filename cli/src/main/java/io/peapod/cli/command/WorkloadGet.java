package io.peapod.cli.command;

import io.peapod.base.api.v1.Workload;
import io.peapod.base.api.v1.WorkloadDetail;
import io.peapod.base.api.v1.WorkloadList;
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
    List<Workload> items;
    if (!names.isEmpty()) {
      // One object comes with what `describe` shows beside it; `get` shows the object alone.
      items = names.stream().map(n -> ctx.client().get("/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + n,
          Map.of(), WorkloadDetail.class).workload()).toList();
    } else {
      Map<String, String> q = new LinkedHashMap<>(all ? Map.of("all", "true") : Map.of("namespace", ctx.namespace()));
      a.value("selector").ifPresent(s -> q.put("selector", s));
      items = ctx.client().get("/v1/workloads/" + plural, q, WorkloadList.class).items();
    }
    if (items.isEmpty() && GetCommand.isTable(o)) {
      ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
      return 0;
    }
    Instant now = Instant.now();
    Listing.print(ctx.io().out(), o, items, names.size() == 1, Resources.kind(plural),
        new Listing.Columns<>() {
          @Override
          public List<String> header(boolean wide) {
            return WorkloadRows.header(plural, wide, all);
          }

          @Override
          public List<Object> row(Workload w, boolean wide) {
            return WorkloadRows.row(plural, w, wide, all, now);
          }
        });
    return 0;
  }
}
