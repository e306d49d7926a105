package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.Table;
import io.peapod.cli.output.Yaml;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// `get pods [NAME]`: NAME READY STATUS RESTARTS AGE, plus IP and NODE with `-o wide`; `get secrets`:
/// NAME TYPE DATA AGE (values are never shown).
public final class GetCommand implements CliCommand {
  @Override
  public String name() {
    return "get";
  }

  @Override
  public String usage() {
    return "peapod get pods [NAME] [-o wide|yaml|json] [-n NS | -A]  |  peapod get secrets [-o yaml|json] [-n NS | -A]";
  }

  @Override
  public String summary() {
    return "List pods or secrets";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("wide, yaml or json.", "-o", "--output"), Context.NAMESPACE,
        Flag.bool("Objects of every namespace.", "-A", "--all-namespaces"));
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String resource = a.positional(0, "the resource type (pods or secrets)");
    if (List.of("secrets", "secret").contains(resource)) {
      return secrets(a, ctx);
    }
    if (!List.of("pods", "pod", "po").contains(resource)) {
      throw new InvalidArgumentException("unknown resource type '" + resource + "'; peapod serves: pods, secrets");
    }
    boolean all = a.has("all-namespaces");
    String output = a.value("output", "");
    List<JsonNode> pods;
    Object raw;
    if (a.positionals().size() > 1) {
      JsonNode p = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + a.positionals().get(1), Map.of());
      pods = List.of(p);
      raw = p.raw();
    } else {
      JsonNode list = ctx.client().get("/v1/pods", all ? Map.of("all", "true") : Map.of("namespace", ctx.namespace()));
      pods = list.get("items").list();
      raw = Map.of("apiVersion", "v1", "kind", "List", "items", list.get("items").raw());
    }
    switch (output) {
      case "yaml" -> ctx.io().out().print(Yaml.write(raw));
      case "json" -> ctx.io().out().print(Json.pretty(raw));
      case "", "wide" -> table(pods, output.equals("wide"), all, ctx);
      default -> throw new InvalidArgumentException("unknown output format '" + output + "'; use wide, yaml or json");
    }
    return 0;
  }

  private static int secrets(ParsedArgs a, Context ctx) {
    boolean all = a.has("all-namespaces");
    JsonNode list = ctx.client().get("/v1/secrets", all ? Map.of("all", "true") : Map.of("namespace", ctx.namespace()));
    Object raw = Map.of("apiVersion", "v1", "kind", "List", "items", list.get("items").raw());
    switch (a.value("output", "")) {
      case "yaml" -> ctx.io().out().print(Yaml.write(raw));
      case "json" -> ctx.io().out().print(Json.pretty(raw));
      case "" -> {
        if (list.get("items").list().isEmpty()) {
          ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
          return 0;
        }
        Table t = all ? new Table("NAMESPACE", "NAME", "TYPE", "DATA", "AGE")
            : new Table("NAME", "TYPE", "DATA", "AGE");
        Instant now = Instant.now();
        for (JsonNode s : list.get("items").list()) {
          List<Object> row = new ArrayList<>();
          if (all) {
            row.add(s.get("metadata").get("namespace").text(""));
          }
          row.addAll(List.of(s.get("metadata").get("name").text(""), s.get("type").text(""),
              s.get("dataKeys").asLong(0), Ages.since(s.get("metadata").get("creationTimestamp").text(""), now)));
          t.row(row.toArray());
        }
        t.print(ctx.io().out());
      }
      default -> throw new InvalidArgumentException("unknown output format for secrets; use yaml or json");
    }
    return 0;
  }

  private static void table(List<JsonNode> pods, boolean wide, boolean all, Context ctx) {
    if (pods.isEmpty()) {
      ctx.io().err().println("No resources found in " + (all ? "any" : ctx.namespace()) + " namespace.");
      return;
    }
    List<String> header = new ArrayList<>(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"));
    if (wide) {
      header.addAll(List.of("IP", "NODE"));
    }
    if (all) {
      header.addFirst("NAMESPACE");
    }
    Table t = new Table(header.toArray(String[]::new));
    Instant now = Instant.now();
    for (JsonNode p : pods) {
      JsonNode s = p.get("status");
      List<Object> row = new ArrayList<>();
      if (all) {
        row.add(p.get("metadata").get("namespace").text(""));
      }
      row.add(p.get("metadata").get("name").text(""));
      row.add(s.get("ready").asLong(0) + "/" + s.get("total").asLong(0));
      row.add(s.get("display").text(""));
      row.add(s.get("restarts").asLong(0));
      row.add(Ages.since(p.get("metadata").get("creationTimestamp").text(""), now));
      if (wide) {
        String ip = s.get("podIP").text("");
        row.add(ip.isEmpty() ? "<none>" : ip);
        row.add(s.get("nodeName").text(""));
      }
      t.row(row.toArray());
    }
    t.print(ctx.io().out());
  }
}
