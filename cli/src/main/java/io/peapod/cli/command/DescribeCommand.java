package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;

/// `describe pod NAME`: the pod in detail, containers with states and exits, sandbox and netns.
public final class DescribeCommand implements CliCommand {
  @Override
  public String name() {
    return "describe";
  }

  @Override
  public String usage() {
    return "peapod describe pod NAME [-n NS]";
  }

  @Override
  public String summary() {
    return "Show a pod in detail";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String resource = a.positional(0, "the resource type (pod)");
    if (!List.of("pods", "pod", "po").contains(resource)) {
      throw new InvalidArgumentException("unknown resource type '" + resource + "'; peapod describes: pods");
    }
    String name = a.positional(1, "the pod's name");
    JsonNode p = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + name, Map.of());
    JsonNode m = p.get("metadata");
    JsonNode s = p.get("status");
    PrintStream out = ctx.io().out();
    field(out, "Name:", m.get("name").text(""));
    field(out, "Namespace:", m.get("namespace").text(""));
    field(out, "UID:", m.get("uid").text(""));
    field(out, "Node:", s.get("nodeName").text(""));
    field(out, "Start Time:", m.get("creationTimestamp").text(""));
    field(out, "Status:", s.get("phase").text("") + " (" + s.get("display").text("") + ")");
    field(out, "IP:", s.get("podIP").text("").isEmpty() ? "<none>" : s.get("podIP").text(""));
    field(out, "Sandbox:", s.get("sandboxId").text(""));
    field(out, "Pause PID:", String.valueOf(s.get("pausePid").asLong(0)));
    field(out, "Network NS:", s.get("hostNetwork").asBoolean(false) ? "host" : s.get("netnsPath").text(""));
    field(out, "Share PID NS:", String.valueOf(s.get("shareProcessNamespace").asBoolean(false)));
    field(out, "Logs:", s.get("logDirectory").text(""));
    out.println("Containers:");
    for (JsonNode c : s.get("containerStatuses").list()) {
      out.println("  " + c.get("name").text("") + ":");
      sub(out, "Container ID:", c.get("containerID").text(""));
      sub(out, "Image:", c.get("image").text(""));
      sub(out, "Image ID:", c.get("imageID").text(""));
      JsonNode st = c.get("state");
      if (st.has("running")) {
        sub(out, "State:", "Running");
        sub(out, "  Started:", st.get("running").get("startedAt").text(""));
        sub(out, "PID:", String.valueOf(c.get("pid").asLong(0)));
      } else if (st.has("terminated")) {
        JsonNode t = st.get("terminated");
        sub(out, "State:", "Terminated");
        sub(out, "  Reason:", t.get("reason").text(""));
        sub(out, "  Exit Code:", String.valueOf(t.get("exitCode").asLong(0)));
        sub(out, "  Started:", t.get("startedAt").text(""));
        sub(out, "  Finished:", t.get("finishedAt").text(""));
      } else {
        sub(out, "State:", "Waiting");
        sub(out, "  Reason:", st.get("waiting").get("reason").text(""));
        st.get("waiting").get("message").text().ifPresent(msg -> sub(out, "  Message:", msg));
      }
      sub(out, "Ready:", String.valueOf(c.get("ready").asBoolean(false)));
      sub(out, "Restart Count:", String.valueOf(c.get("restartCount").asLong(0)));
      sub(out, "Log:", c.get("logPath").text(""));
    }
    return 0;
  }

  private static void field(PrintStream out, String label, String value) {
    out.println(String.format("%-14s%s", label, value));
  }

  private static void sub(PrintStream out, String label, String value) {
    out.println(String.format("    %-16s%s", label, value));
  }
}
