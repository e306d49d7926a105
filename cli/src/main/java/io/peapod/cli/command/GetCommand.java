package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.api.v1.DataList;
import io.peapod.base.api.v1.DataSummary;
import io.peapod.base.api.v1.Event;
import io.peapod.base.api.v1.EventList;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodList;
import io.peapod.base.api.v1.WatchEvent;
import io.peapod.base.json.JsonRecords;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.client.ApiClient;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.Listing;
import io.peapod.cli.output.PodRows;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `get pods [NAME...]`: NAME READY STATUS RESTARTS AGE, plus IP and NODE with `-o wide`, `-l` to select
/// by labels, and `-w` to keep printing a row for each change; workloads as [WorkloadGet] prints them; `get secrets`: NAME TYPE DATA AGE and `get configmaps`: NAME DATA AGE (values are never shown);
/// `get events`: LAST SEEN TYPE REASON OBJECT MESSAGE, also with `-w`.
public final class GetCommand implements CliCommand {
  @Override
  public String name() {
    return "get";
  }

  @Override
  public String usage() {
    return "peapod get pods|jobs|deployments|replicasets|daemonsets|statefulsets [NAME...] [-l SELECTOR]"
        + " [-o wide|yaml|json|name] [-w] [-n NS | -A]  |  peapod get secrets|configmaps|events [-n NS | -A]";
  }

  @Override
  public String summary() {
    return "List pods, workloads, secrets, configmaps or events";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("wide, yaml, json, name, jsonpath=, go-template= or custom-columns=HEADER:PATH,...", "-o",
        "--output"), Context.NAMESPACE, Context.SELECTOR,
        Flag.bool("Objects of every namespace.", "-A", "--all-namespaces"),
        Flag.bool("After listing, keep printing each change.", "-w", "--watch"),
        Flag.bool("A LABELS column with every label.", "--show-labels"),
        Flag.value("A column for each of these label keys (KEY1,KEY2).", "-L", "--label-columns"),
        Flag.bool("No header row.", "--no-headers"),
        Flag.value("Sort by the value at a JSONPath (.metadata.name).", "--sort-by"));
  }

  /// The printing options of `get`, checked.
  static Listing.Options options(ParsedArgs a) {
    return Listing.Options.of(a.value("output", ""), a.has("show-labels"), a.all("label-columns"),
        a.has("no-headers"), a.value("sort-by"));
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Resources.Target target = Resources.target(a.positionals(), "the resource type (pods, deployments, jobs, ...)");
    return switch (target.type()) {
      case "pods", "pod", "po" -> pods(a, ctx, target.names());
      case "secrets", "secret" -> data(a, ctx, "secrets");
      case "configmaps", "configmap", "cm" -> data(a, ctx, "configmaps");
      case "events", "event", "ev" -> events(a, ctx);
      default -> WorkloadGet.run(a, ctx, Resources.workload(target.type()).orElseThrow(() ->
          new InvalidArgumentException("unknown resource type '" + target.type() + "'; peapod serves: pods, jobs,"
              + " deployments, replicasets, daemonsets, statefulsets, secrets, configmaps, events")), target.names());
    };
  }

  private static Map<String, String> scope(ParsedArgs a, Context ctx) {
    return a.has("all-namespaces") ? Map.of("all", "true") : Map.of("namespace", ctx.namespace());
  }

  private static Map<String, String> podScope(ParsedArgs a, Context ctx) {
    Map<String, String> q = new LinkedHashMap<>(scope(a, ctx));
    a.value("selector").ifPresent(s -> q.put("selector", s));
    return q;
  }

  private static int pods(ParsedArgs a, Context ctx, List<String> names) {
    boolean all = a.has("all-namespaces");
    Listing.Options o = options(a);
    if (a.has("watch")) {
      return watch(ctx, "/v1/pods", podScope(a, ctx), o.output().equals("wide"), all, true);
    }
    List<Pod> pods = names.isEmpty() ? ctx.client().get("/v1/pods", podScope(a, ctx), PodList.class).items()
        : names.stream().map(n -> ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + n, Map.of(), Pod.class))
            .toList();
    if (pods.isEmpty() && isTable(o)) {
      ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
      return 0;
    }
    Instant now = Instant.now();
    Listing.print(ctx.io().out(), o, pods, names.size() == 1, "pod", new Listing.Columns<>() {
      @Override
      public List<String> header(boolean wide) {
        return PodRows.header(wide, all);
      }

      @Override
      public List<Object> row(Pod p, boolean wide) {
        return PodRows.row(p, wide, all, now);
      }
    });
    return 0;
  }

  /// Whether the output is a table, which says so when there is nothing to list (kubectl's habit).
  static boolean isTable(Listing.Options o) {
    return o.output().isEmpty() || o.output().equals("wide") || o.output().startsWith("custom-columns=");
  }

  /// Prints the current objects, then a row per change, as `kubectl get -w`, until interrupted.
  private static int watch(Context ctx, String path, Map<String, String> scope, boolean wide, boolean all,
      boolean pods) {
    Map<String, String> q = new LinkedHashMap<>(scope);
    q.put("watch", "true");
    try (ApiClient.Response r = ctx.client().open("GET", path, q, null, Map.of())) {
      if (r.status() != 200) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
      List<String> header = pods ? PodRows.header(wide, all) : eventHeader(all);
      ctx.io().out().println(String.join("   ", header));
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        WatchEvent change = JsonRecords.read(line, WatchEvent.class);
        List<Object> row = pods ? PodRows.row(JsonRecords.read(change.object(), Pod.class), wide, all, Instant.now())
            : eventRow(JsonRecords.read(change.object(), Event.class), all, Instant.now());
        if (pods && change.type().equals("DELETED")) {
          row.set(all ? 3 : 2, "Terminated");
        }
        ctx.io().out().println(String.join("   ", row.stream().map(String::valueOf).toList()));
        ctx.io().out().flush();
      }
    } catch (IOException e) {
      throw new UnavailableException("watch ended: " + e.getMessage(), e);
    }
    return 0;
  }

  private static List<String> eventHeader(boolean all) {
    List<String> h = new ArrayList<>(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"));
    if (all) {
      h.addFirst("NAMESPACE");
    }
    return h;
  }

  private static List<Object> eventRow(Event e, boolean all, Instant now) {
    List<Object> row = new ArrayList<>();
    if (all) {
      row.add(e.metadata().namespace());
    }
    row.add(Ages.since(e.lastTimestamp(), now));
    row.add(e.type());
    row.add(e.reason());
    row.add("pod/" + e.involvedObject().name());
    row.add(e.message() + (e.count() > 1 ? " (x" + e.count() + ")" : ""));
    return row;
  }

  private static int events(ParsedArgs a, Context ctx) {
    boolean all = a.has("all-namespaces");
    if (a.has("watch")) {
      return watch(ctx, "/v1/events", scope(a, ctx), false, all, false);
    }
    Instant now = Instant.now();
    return list(a, ctx, "No events found", "event", ctx.client().get("/v1/events", scope(a, ctx), EventList.class)
        .items(), Listing.Columns.of(eventHeader(all), e -> eventRow(e, all, now)));
  }

  /// `get secrets` (NAME TYPE DATA AGE) and `get configmaps` (NAME DATA AGE), as kubectl prints them.
  private static int data(ParsedArgs a, Context ctx, String resource) {
    boolean all = a.has("all-namespaces");
    boolean secrets = resource.equals("secrets");
    List<String> headers = new ArrayList<>(List.of("NAME", "DATA", "AGE"));
    if (secrets) {
      headers.add(1, "TYPE");
    }
    if (all) {
      headers.addFirst("NAMESPACE");
    }
    Instant now = Instant.now();
    List<DataSummary> items = ctx.client().get("/v1/" + resource, scope(a, ctx), DataList.class).items();
    return list(a, ctx, "No resources found", secrets ? "secret" : "configmap", items,
        Listing.Columns.<DataSummary>of(headers, s -> {
          List<Object> row = new ArrayList<>();
          if (all) {
            row.add(s.metadata().namespace());
          }
          row.add(s.metadata().name());
          if (secrets) {
            row.add(s.type().orElse(""));
          }
          row.addAll(List.of(s.dataKeys(), Ages.since(s.metadata().creationTimestamp(), now)));
          return row;
        }));
  }

  /// A list as kubectl prints it (see [Listing]), or what was not found. `kind` names objects for `-o name`.
  private static <T extends Record> int list(ParsedArgs a, Context ctx, String none, String kind, List<T> items,
      Listing.Columns<T> columns) {
    Listing.Options o = options(a);
    if (items.isEmpty() && isTable(o)) {
      ctx.io().err().println(none + " in " + (a.has("all-namespaces") ? "any" : ctx.namespace()) + " namespace.");
      return 0;
    }
    Listing.print(ctx.io().out(), o, items, false, kind, columns);
    return 0;
  }
}
