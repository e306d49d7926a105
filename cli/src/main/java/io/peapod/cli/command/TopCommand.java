package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.api.v1.PodUsage;
import io.peapod.base.api.v1.UsageList;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `top pod [NAME] [--containers] [-n NS | -A]`, as `kubectl top pod` prints it: CPU in millicores and
/// memory working set in MiB, read from the containers' cgroups over half a second.
public final class TopCommand implements CliCommand {
  @Override
  public String name() {
    return "top";
  }

  @Override
  public String usage() {
    return "peapod top pod [NAME] [--containers] [-n NS | -A]";
  }

  @Override
  public String summary() {
    return "Show CPU and memory use of pods, from their cgroups";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.bool("One row per container.", "--containers"), Context.NAMESPACE,
        Flag.bool("Pods of every namespace.", "-A", "--all-namespaces"));
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    List<String> args = a.positionals();
    if (args.isEmpty() || !List.of("pod", "pods", "po").contains(args.getFirst()) || args.size() > 2) {
      throw new InvalidArgumentException("usage: " + usage());
    }
    boolean all = a.has("all-namespaces");
    Map<String, String> query = new LinkedHashMap<>();
    if (all) {
      query.put("all", "true");
    } else {
      query.put("namespace", ctx.namespace());
    }
    if (args.size() == 2) {
      query.put("name", args.get(1));
    }
    List<PodUsage> items = ctx.client().get("/v1/top", query, UsageList.class).items();
    if (items.isEmpty()) {
      ctx.io().err().println("No resources found" + (all ? "" : " in " + ctx.namespace() + " namespace") + ".");
      return 0;
    }
    boolean containers = a.has("containers");
    List<String> header = new ArrayList<>(List.of("NAME", "CPU(cores)", "MEMORY(bytes)"));
    if (containers) {
      header.addFirst("POD");
    }
    if (all) {
      header.addFirst("NAMESPACE");
    }
    Table t = new Table(header.toArray(String[]::new));
    for (PodUsage p : items) {
      List<PodUsage.Container> rows = containers ? p.containers()
          : List.of(new PodUsage.Container(p.name(), p.cpuMilli(), p.memoryBytes()));
      for (PodUsage.Container r : rows) {
        List<Object> row = new ArrayList<>();
        if (all) {
          row.add(p.namespace());
        }
        if (containers) {
          row.add(p.name());
        }
        row.add(r.name());
        row.add(r.cpuMilli() + "m");
        row.add((r.memoryBytes() >> 20) + "Mi");
        t.row(row.toArray());
      }
    }
    t.print(ctx.io().out());
    return 0;
  }
}
