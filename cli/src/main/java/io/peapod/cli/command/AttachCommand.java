package io.peapod.cli.command;

import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.IOException;
import java.util.List;

/// `attach POD [-c C] [-i] [-t]`: the user's terminal on a running container's own output (and input,
/// for a container with `stdin: true`). Leaving (or the input ending) leaves the container running;
/// the exit code is the container's when it ended during the session.
public final class AttachCommand implements CliCommand {
  @Override
  public String name() {
    return "attach";
  }

  @Override
  public String usage() {
    return "peapod attach POD [-c CONTAINER] [-i] [-t]";
  }

  @Override
  public String summary() {
    return "Attach to a running container's standard streams";
  }

  @Override
  public List<Flag> flags() {
    return List.of(LogsCommand.CONTAINER, Flag.bool("Pass standard input to the container (stdin: true).", "-i",
        "--stdin"), Flag.bool("The container's terminal (tty: true); with -i, an interactive session.", "-t",
        "--tty"), Attacher.POD_RUNNING_TIMEOUT, Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws IOException {
    String pod = a.positional(0, "the pod's name");
    String container = a.value("container", "");
    if (container.isEmpty()) {
      // kubectl's default: the first container of the pod's spec.
      container = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + pod, java.util.Map.of(),
          io.peapod.base.api.v1.Pod.class).spec().flatMap(s -> s.get("containers").list().stream().findFirst())
          .map(c -> c.get("name").text("")).orElseThrow(() -> new io.peapod.base.error.NotFoundException("pod " + pod
              + " has no containers to attach to"));
    }
    Attacher.Outcome o = Attacher.awaitRunning(ctx, pod, container,
        RolloutCommand.duration(a.value("pod-running-timeout", "1m")));
    if (o instanceof Attacher.Outcome.Ended e) {
      ctx.io().err().println("error: cannot attach to a container that has ended (exit code " + e.exitCode() + ")");
      return 1;
    }
    int code = Attacher.attach(ctx, pod, container, a.has("stdin"), a.has("tty"));
    return Math.max(code, 0);
  }
}
