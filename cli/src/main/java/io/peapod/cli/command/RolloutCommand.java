package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.UnavailableException;
import static io.peapod.cli.output.WorkloadRows.n;

import io.peapod.base.api.v1.RevisionList;
import io.peapod.base.api.v1.Workload;
import io.peapod.base.api.v1.WorkloadDetail;
import io.peapod.base.api.v1.WorkloadStatus;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Table;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `rollout status|history|undo|restart KIND/NAME`, as kubectl has them: `status` follows a rollout
/// until it is done (printing kubectl's progress lines), `history` lists a Deployment's revisions,
/// `undo` goes back to the previous (or `--to-revision`) template, `restart` rolls out new pods.
public final class RolloutCommand implements CliCommand {
  private static final Duration POLL = Duration.ofMillis(500);

  @Override
  public String name() {
    return "rollout";
  }

  @Override
  public String usage() {
    return "peapod rollout status|history|undo|restart deployment/NAME [--to-revision=N] [--timeout 5m] [-n NS]";
  }

  @Override
  public String summary() {
    return "Follow, list, undo or restart the rollout of a Deployment (status also for DaemonSets and StatefulSets)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("For undo: the revision to go back to (default: the previous one).", "--to-revision"),
        Flag.value("For status: how long to wait (default: until done).", "--timeout"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String action = a.positional(0, "the action (status, history, undo or restart)");
    Resources.Target t = Resources.target(a.positionals().subList(1, a.positionals().size()),
        "the workload (deployment/NAME)");
    String plural = Resources.requireWorkload(t.type(), "rollout");
    if (t.names().size() != 1) {
      throw new InvalidArgumentException("rollout " + action + " takes one " + t.type());
    }
    String path = "/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + t.names().getFirst();
    String ref = Resources.ref(plural, t.names().getFirst());
    return switch (action) {
      case "status" -> status(ctx, path, plural, t.names().getFirst(), a.value("timeout"));
      case "history" -> {
        Table table = new Table("REVISION", "CHANGE-CAUSE");
        ctx.client().get(path + "/history", Map.of(), RevisionList.class).items().forEach(r -> table.row(
            r.revision(), r.changeCause().isEmpty() ? "<none>" : r.changeCause()));
        ctx.io().out().println(ref);
        table.print(ctx.io().out());
        yield 0;
      }
      case "undo" -> {
        ctx.client().json("POST", path + "/undo", Map.of("toRevision", a.value("to-revision", "0")), null);
        ctx.io().out().println(ref + " rolled back");
        yield 0;
      }
      case "restart" -> {
        ctx.client().json("POST", path + "/restart", Map.of(), null);
        ctx.io().out().println(ref + " restarted");
        yield 0;
      }
      default -> throw new InvalidArgumentException("unknown rollout action '" + action
          + "'; use status, history, undo or restart");
    };
  }

  /// Polls the workload and prints each new progress line until the rollout is done.
  private static int status(Context ctx, String path, String plural, String name, Optional<String> timeout) {
    Instant deadline = timeout.map(RolloutCommand::duration).map(d -> Instant.now().plus(d)).orElse(Instant.MAX);
    String last = "";
    while (true) {
      Workload w = ctx.client().get(path, Map.of(), WorkloadDetail.class).workload();
      Progress p = progress(plural, name, w);
      if (!p.line().equals(last)) {
        ctx.io().out().println(p.line());
        ctx.io().out().flush();
        last = p.line();
      }
      if (p.done()) {
        return 0;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new UnavailableException("timed out waiting for the rollout of " + Resources.ref(plural, name)
            + " to finish");
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
    }
  }

  /// A duration as kubectl writes them: `90s`, `5m`, `1h`, `2m30s`.
  static Duration duration(String text) {
    var m = java.util.regex.Pattern.compile("(\\d+)(h|ms|m|s)").matcher(text);
    Duration d = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      d = d.plus(switch (m.group(2)) {
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        case "ms" -> Duration.ofMillis(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    if (end == 0 || end != text.length()) {
      throw new InvalidArgumentException("--timeout '" + text + "' is not a duration like 90s, 5m or 1h30m");
    }
    return d;
  }

  record Progress(String line, boolean done) {}

  /// kubectl's rollout status messages for Deployments, DaemonSets and StatefulSets.
  static Progress progress(String plural, String name, Workload w) {
    JsonNode spec = w.spec();
    WorkloadStatus s = w.status();
    long generation = w.metadata().generation().orElse(0L);
    if (s.observedGeneration().orElse(0L) < generation) {
      return new Progress("Waiting for " + plural.replaceFirst("s$", "") + " spec update to be observed...", false);
    }
    String waiting = "Waiting for " + plural.replaceFirst("s$", "") + " \"" + name + "\" rollout to finish: ";
    switch (plural) {
      case "deployments" -> {
        long want = spec.get("replicas").asLong(1);
        long updated = n(s.updatedReplicas());
        long replicas = n(s.replicas());
        long available = n(s.availableReplicas());
        if (updated < want) {
          return new Progress(waiting + updated + " out of " + want + " new replicas have been updated...", false);
        }
        if (replicas > updated) {
          return new Progress(waiting + (replicas - updated) + " old replicas are pending termination...", false);
        }
        if (available < updated) {
          return new Progress(waiting + available + " of " + updated + " updated replicas are available...", false);
        }
        return new Progress("deployment \"" + name + "\" successfully rolled out", true);
      }
      case "daemonsets" -> {
        long want = s.desiredNumberScheduled().orElse(1);
        long updated = n(s.updatedNumberScheduled());
        long available = n(s.numberAvailable());
        if (updated < want) {
          return new Progress(waiting + updated + " out of " + want + " new pods have been updated...", false);
        }
        if (available < want) {
          return new Progress(waiting + available + " of " + want + " updated pods are available...", false);
        }
        return new Progress("daemon set \"" + name + "\" successfully rolled out", true);
      }
      case "statefulsets" -> {
        long want = spec.get("replicas").asLong(1);
        long ready = n(s.readyReplicas());
        long updated = n(s.updatedReplicas());
        if (ready < want) {
          return new Progress("Waiting for " + (want - ready) + " pods to be ready...", false);
        }
        if (updated < want) {
          return new Progress("Waiting for partitioned roll out to finish: " + updated + " out of " + want
              + " new pods have been updated...", false);
        }
        return new Progress("statefulset rolling update complete " + want + " pods at revision "
            + s.updateRevision().orElse("") + "...", true);
      }
      default -> throw new InvalidArgumentException("rollout status works on deployments, daemonsets and"
          + " statefulsets, not " + plural);
    }
  }
}
