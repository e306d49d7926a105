package io.peapod.cli.command;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/// `delete pod NAME...` or `delete -f FILE`: preStop hooks, SIGTERM, SIGKILL after the grace period,
/// then removal; several pods are deleted at once. `--force` removes a pod even where something of it
/// cannot be cleaned up, and says what; `--wait=false` returns once the deletion is asked for.
/// `delete secret NAME...`.
public final class DeleteCommand implements CliCommand {
  @Override
  public String name() {
    return "delete";
  }

  @Override
  public String usage() {
    return "peapod delete pod NAME [NAME...] | secret NAME [NAME...] | -f FILE [--grace-period N | --now]"
        + " [--force] [--wait=false]";
  }

  @Override
  public String summary() {
    return "Delete pods or secrets by name, or what a manifest names";
  }

  @Override
  public List<Flag> flags() {
    return List.of(ApplyCommand.FILE, Flag.value("Seconds between SIGTERM and SIGKILL.", "--grace-period"),
        Flag.bool("Same as --grace-period=1.", "--now"),
        Flag.bool("Kill at once and remove the pod even if something of it cannot be cleaned up.", "--force"),
        Flag.value("Wait until the pods are gone (default true).", "--wait"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Map<String, String> q = new LinkedHashMap<>();
    if (a.has("now")) {
      q.put("grace", "1");
    } else {
      a.value("grace-period").ifPresent(g -> q.put("grace", g));
    }
    if (a.has("force")) {
      q.put("force", "true");
    }
    String wait = a.value("wait", "true");
    if (!List.of("true", "false").contains(wait)) {
      throw new InvalidArgumentException("--wait '" + wait + "' must be true or false");
    }
    q.put("wait", wait);
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
    return deletePods(ctx, args.subList(1, args.size()), q);
  }

  /// Deletes the pods side by side; prints each in the order given, and the first error's exit code.
  private static int deletePods(Context ctx, List<String> names, Map<String, String> q) {
    List<Future<JsonNode>> deletions = new ArrayList<>();
    Optional<PeapodException> first = Optional.empty();
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String name : names) {
        deletions.add(ex.submit(() -> ctx.client().json("DELETE", "/v1/pods/" + ctx.namespace() + "/" + name, q,
            null)));
      }
      for (int i = 0; i < names.size(); i++) {
        try {
          JsonNode r = deletions.get(i).get();
          r.get("warnings").strings().forEach(w -> ctx.io().err().println("Warning: " + w));
          ctx.io().out().println("pod \"" + names.get(i) + "\" deleted");
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof PeapodException p)) {
            throw new InternalException("delete pod " + names.get(i) + ": " + e.getCause(), e.getCause());
          }
          ctx.io().err().println("error: " + p.getMessage());
          first = first.or(() -> Optional.of(p));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while deleting", e);
    }
    return first.map(e -> e.code().exitCode()).orElse(0);
  }
}
