package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;
import java.util.Map;

/// `scale deployment/NAME --replicas=N` (also replicasets and statefulsets), as kubectl scales them:
/// the workload's `spec.replicas` changes and its controller makes or removes pods.
public final class ScaleCommand implements CliCommand {
  @Override
  public String name() {
    return "scale";
  }

  @Override
  public String usage() {
    return "peapod scale deployment|replicaset|statefulset NAME --replicas=N  (or KIND/NAME) [-n NS]";
  }

  @Override
  public String summary() {
    return "Set the number of replicas of a Deployment, ReplicaSet or StatefulSet";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("The new number of replicas.", "--replicas"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Resources.Target t = Resources.target(a.positionals(), "the resource to scale (deployment/NAME)");
    String plural = Resources.requireWorkload(t.type(), "scale");
    String replicas = a.value("replicas").orElseThrow(() -> new InvalidArgumentException(
        "scale needs --replicas=N"));
    if (!replicas.matches("\\d{1,5}")) {
      throw new InvalidArgumentException("--replicas '" + replicas + "' must be a whole number from 0 to 10000");
    }
    if (t.names().isEmpty()) {
      throw new InvalidArgumentException("missing the name of the " + t.type() + " to scale");
    }
    for (String name : t.names()) {
      ctx.client().json("POST", "/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + name + "/scale",
          Map.of("replicas", replicas), null);
      ctx.io().out().println(Resources.ref(plural, name) + " scaled");
    }
    return 0;
  }
}
