package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// `wait --for=condition=Ready pod/NAME...`, as kubectl's: also `--for=condition=Completed` (the pod
/// ended) and `--for=delete`. Returns when every pod got there; a pod that will not (its container
/// crash-loops, its image cannot be pulled) is an error at once, with the reason. Workloads wait for one
/// of their conditions (`--for=condition=Complete job/NAME`, `condition=Available deployment/NAME`) or
/// deletion; a Job that failed while waited on for Complete is an error at once.
public final class WaitCommand implements CliCommand {
  @Override
  public String name() {
    return "wait";
  }

  @Override
  public String usage() {
    return "peapod wait --for=condition=Ready|condition=Completed|delete pod/NAME [pod/NAME...] [--timeout 30s]"
        + "  |  peapod wait --for=condition=Complete|Failed|Available|delete job/NAME|deployment/NAME ...";
  }

  @Override
  public String summary() {
    return "Wait until pods are Ready, completed or deleted, or workloads reach a condition";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("condition=Ready, condition=Completed or delete.", "--for"),
        Flag.value("How long to wait (default 30s).", "--timeout"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String forWhat = a.value("for").orElseThrow(() -> new InvalidArgumentException("wait needs --for"));
    if (!a.positionals().isEmpty() && a.positionals().getFirst().contains("/")
        && Resources.workload(a.positionals().getFirst().split("/")[0]).isPresent()) {
      return WorkloadWaiter.await(ctx, Resources.target(a.positionals(), "the workloads"), forWhat,
          RolloutCommand.duration(a.value("timeout", "30s")));
    }
    String condition = switch (forWhat.toLowerCase(java.util.Locale.ROOT)) {
      case "condition=ready" -> "Ready";
      case "condition=completed" -> "Completed";
      case "delete" -> "Deleted";
      default -> throw new InvalidArgumentException("--for " + forWhat + " is not supported; use condition=Ready,"
          + " condition=Completed or delete");
    };
    List<PodWaiter.Target> pods = new ArrayList<>();
    List<String> args = a.positionals();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("pod") || arg.equals("pods")) && i + 1 < args.size()) {
        continue;
      }
      String name = arg.startsWith("pod/") ? arg.substring(4) : arg.startsWith("pods/") ? arg.substring(5) : arg;
      pods.add(new PodWaiter.Target(ctx.namespace(), name));
    }
    if (pods.isEmpty()) {
      throw new InvalidArgumentException("missing the pods to wait for (pod/NAME)");
    }
    Optional<PeapodException> failed = PodWaiter.await(ctx.client(), pods, condition, a.value("timeout", "30s"),
        ctx.io());
    return failed.map(e -> e.code().exitCode()).orElse(0);
  }
}
