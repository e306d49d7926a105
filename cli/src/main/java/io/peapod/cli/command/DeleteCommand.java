package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;

/// `delete pod NAME...` or `delete -f FILE`: SIGTERM, SIGKILL after the grace period, then removal;
/// `delete secret NAME...`.
public final class DeleteCommand implements CliCommand {
  @Override
  public String name() {
    return "delete";
  }

  @Override
  public String usage() {
    return "peapod delete pod NAME [NAME...] | secret NAME [NAME...] | -f FILE [--grace-period N | --now]";
  }

  @Override
  public String summary() {
    return "Delete pods or secrets by name, or what a manifest names";
  }

  @Override
  public List<Flag> flags() {
    return List.of(ApplyCommand.FILE, Flag.value("Seconds between SIGTERM and SIGKILL.", "--grace-period"),
        Flag.bool("Same as --grace-period=1.", "--now"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Map<String, String> q = new LinkedHashMap<>();
    if (a.has("now")) {
      q.put("grace", "1");
    } else {
      a.value("grace-period").ifPresent(g -> q.put("grace", g));
    }
    Streams io = ctx.io();
    if (a.has("filename")) {
      String file = a.value("filename", "-");
      q.put("source", file);
      JsonNode r = ctx.client().json("POST", "/v1/delete", q, ApplyCommand.read(file, io));
      r.get("results").strings().forEach(io.out()::println);
      return 0;
    }
    List<String> args = a.positionals();
    if (args.size() >= 2 && List.of("secret", "secrets").contains(args.getFirst())) {
      for (String name : args.subList(1, args.size())) {
        ctx.client().json("DELETE", "/v1/secrets/" + ctx.namespace() + "/" + name, Map.of(), null);
        io.out().println("secret \"" + name + "\" deleted");
      }
      return 0;
    }
    if (args.size() < 2 || !List.of("pod", "pods", "po").contains(args.getFirst())) {
      throw new InvalidArgumentException("usage: peapod delete pod NAME [NAME...], peapod delete secret NAME [NAME...]"
          + " or peapod delete -f FILE");
    }
    for (String name : args.subList(1, args.size())) {
      ctx.client().json("DELETE", "/v1/pods/" + ctx.namespace() + "/" + name, q, null);
      io.out().println("pod \"" + name + "\" deleted");
    }
    return 0;
  }
}
