package io.peapod.cli.command;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.api.v1.ApplyAnswer;
import io.peapod.base.api.v1.Deleted;
import io.peapod.base.api.v1.PodList;
import io.peapod.base.api.v1.WorkloadList;
import io.peapod.base.json.JsonNode;
import io.peapod.base.json.JsonRecords;
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
import java.util.concurrent.Semaphore;

/// `delete pod NAME...` or `delete -f FILE`: preStop hooks, SIGTERM, SIGKILL after the grace period,
/// then removal; several pods are deleted at once. `--force` removes a pod even where something of it
/// cannot be cleaned up, and says what; `--wait=false` returns once the deletion is asked for.
/// `delete secret|configmap NAME...`; `delete KIND NAME...` (or `KIND/NAME`) for workloads, whose pods go with
/// them unless `--cascade=orphan` (`foreground` waits for them first); `-l` deletes the pods or
/// workloads whose labels match.
public final class DeleteCommand implements CliCommand {
  private static final int PARALLEL_DELETES = 64;

  @Override
  public String name() {
    return "delete";
  }

  @Override
  public String usage() {
    return "peapod delete pod|KIND NAME [NAME...] | KIND/NAME | pods|KIND -l SELECTOR | secret|configmap NAME [NAME...] |"
        + " -f FILE [--grace-period N | --now] [--force] [--wait=false] [--cascade=background|foreground|orphan]";
  }

  @Override
  public String summary() {
    return "Delete pods, workloads, secrets or configmaps by name or label, or what a manifest names";
  }

  @Override
  public List<Flag> flags() {
    return List.of(ApplyCommand.FILE, Flag.value("Seconds between SIGTERM and SIGKILL.", "--grace-period"),
        Flag.bool("Same as --grace-period=1.", "--now"),
        Flag.bool("Kill at once and remove the pod even if something of it cannot be cleaned up.", "--force"),
        Flag.value("Wait until the pods are gone (default true).", "--wait"), Context.NAMESPACE, Context.SELECTOR,
        Flag.value("What happens to a workload's pods: background (default), foreground or orphan.", "--cascade"));
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
    String cascade = a.value("cascade", "background");
    if (!List.of("background", "foreground", "orphan").contains(cascade)) {
      throw new InvalidArgumentException("--cascade '" + cascade + "' must be background, foreground or orphan");
    }
    if (a.has("filename")) {
      for (String file : ApplyCommand.files(a.value("filename", "-"))) {
        Map<String, String> fq = new LinkedHashMap<>(q);
        fq.put("source", file);
        fq.put("cascade", cascade);
        ctx.explicitNamespace().ifPresent(ns -> fq.put("namespace", ns));
        ctx.client().json("POST", "/v1/delete", fq, ApplyCommand.read(file, io), ApplyAnswer.class).results()
            .forEach(io.out()::println);
      }
      return 0;
    }
    Resources.Target target = Resources.target(a.positionals(), "the resource type and name");
    if (a.has("selector")) {
      if (!target.names().isEmpty()) {
        throw new InvalidArgumentException("give names or -l, not both");
      }
      return deleteSelected(ctx, target.type(), a.value("selector", ""), q, cascade);
    }
    Optional<String> workload = Resources.workload(target.type());
    if (workload.isPresent()) {
      if (target.names().isEmpty()) {
        throw new InvalidArgumentException("usage: peapod delete " + target.type() + " NAME [NAME...]");
      }
      return deleteWorkloads(ctx, workload.get(), target.names(), cascade);
    }
    List<String> args = new java.util.ArrayList<>(List.of(target.type()));
    args.addAll(target.names());
    Optional<String> data = switch (args.getFirst()) {
      case "secret", "secrets" -> Optional.of("secret");
      case "configmap", "configmaps", "cm" -> Optional.of("configmap");
      default -> Optional.empty();
    };
    if (args.size() >= 2 && data.isPresent()) {
      for (String name : args.subList(1, args.size())) {
        ctx.client().json("DELETE", "/v1/" + data.get() + "s/" + ctx.namespace() + "/" + name, Map.of(), null);
        io.out().println(data.get() + " \"" + name + "\" deleted");
      }
      return 0;
    }
    if (args.size() < 2 || !List.of("pod", "pods", "po").contains(args.getFirst())) {
      throw new InvalidArgumentException("usage: peapod delete pod NAME [NAME...], peapod delete secret|configmap NAME [NAME...]"
          + " or peapod delete -f FILE");
    }
    return deletePods(ctx, args.subList(1, args.size()), q);
  }

  private static int deleteSelected(Context ctx, String type, String selector, Map<String, String> q,
      String cascade) {
    Optional<String> workload = Resources.workload(type);
    if (workload.isEmpty() && !Resources.POD_NAMES.contains(type)) {
      throw new InvalidArgumentException("-l works on pods and workloads, not '" + type + "'");
    }
    Map<String, String> scope = Map.of("namespace", ctx.namespace(), "selector", selector);
    List<String> names = workload.isPresent()
        ? ctx.client().get("/v1/workloads/" + workload.get(), scope, WorkloadList.class).items().stream()
            .map(w -> w.metadata().name()).toList()
        : ctx.client().get("/v1/pods", scope, PodList.class).items().stream().map(p -> p.metadata().name()).toList();
    if (names.isEmpty()) {
      ctx.io().err().println("No resources found");
      return 0;
    }
    return workload.isPresent() ? deleteWorkloads(ctx, workload.get(), names, cascade) : deletePods(ctx, names, q);
  }

  private static int deleteWorkloads(Context ctx, String plural, List<String> names, String cascade) {
    Optional<PeapodException> first = Optional.empty();
    for (String name : names) {
      try {
        ctx.client().json("DELETE", "/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + name,
            Map.of("cascade", cascade), null);
        ctx.io().out().println(Resources.kind(plural) + " \"" + name + "\" deleted");
      } catch (PeapodException e) {
        ctx.io().err().println("error: " + e.getMessage());
        first = first.or(() -> Optional.of(e));
      }
    }
    return first.map(e -> e.code().exitCode()).orElse(0);
  }

  /// Deletes the pods side by side, [#PARALLEL_DELETES] at a time (a thousand connections at once would
  /// overflow the daemon's listen queue, and it deletes no faster with more); prints each in the order
  /// given, and the first error's exit code.
  private static int deletePods(Context ctx, List<String> names, Map<String, String> q) {
    List<Future<JsonNode>> deletions = new ArrayList<>();
    Optional<PeapodException> first = Optional.empty();
    Semaphore slots = new Semaphore(PARALLEL_DELETES);
    try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
      for (String name : names) {
        deletions.add(ex.submit(() -> {
          slots.acquire();
          try {
            return ctx.client().json("DELETE", "/v1/pods/" + ctx.namespace() + "/" + name, q, null);
          } finally {
            slots.release();
          }
        }));
      }
      for (int i = 0; i < names.size(); i++) {
        try {
          Deleted r = JsonRecords.read(deletions.get(i).get(), Deleted.class);
          r.warnings().forEach(w -> ctx.io().err().println("Warning: " + w));
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
