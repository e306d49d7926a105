package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/// `describe pod NAME`: the pod in detail as kubectl prints it: status and QoS, init containers and
/// containers with their state, last state, readiness and restarts, conditions, and events; plus the
/// sandbox, pause process and netns pin.
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
    String path = "/v1/pods/" + ctx.namespace() + "/" + name;
    JsonNode p = ctx.client().get(path, Map.of());
    JsonNode events = ctx.client().get(path + "/events", Map.of());
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    print(new PrintStream(buf, true, StandardCharsets.UTF_8), p, events.get("items").list(), Instant.now());
    ctx.io().out().print(buf.toString(StandardCharsets.UTF_8));
    return 0;
  }

  private static void print(PrintStream out, JsonNode p, List<JsonNode> events, Instant now) {
    JsonNode m = p.get("metadata");
    JsonNode s = p.get("status");
    field(out, "Name:", m.get("name").text(""));
    field(out, "Namespace:", m.get("namespace").text(""));
    field(out, "UID:", m.get("uid").text(""));
    field(out, "Node:", s.get("nodeName").text(""));
    field(out, "Start Time:", s.get("startTime").text(m.get("creationTimestamp").text("")));
    labels(out, "Labels:", m.get("labels"));
    labels(out, "Annotations:", m.get("annotations"));
    m.get("deletionTimestamp").text().ifPresent(t -> field(out, "Status:", "Terminating (since " + t + ")"));
    if (!m.has("deletionTimestamp")) {
      field(out, "Status:", s.get("phase").text("") + (s.get("display").text("").equals(s.get("phase").text(""))
          ? "" : " (" + s.get("display").text("") + ")"));
    }
    s.get("reason").text().ifPresent(r -> field(out, "Reason:", r));
    s.get("message").text().ifPresent(r -> field(out, "Message:", r));
    field(out, "IP:", s.get("podIP").text("").isEmpty() ? "<none>" : s.get("podIP").text(""));
    field(out, "QoS Class:", s.get("qosClass").text(""));
    field(out, "Sandbox:", s.get("sandboxId").text(""));
    field(out, "Pause PID:", String.valueOf(s.get("pausePid").asLong(0)));
    field(out, "Network NS:", s.get("hostNetwork").asBoolean(false) ? "host" : s.get("netnsPath").text(""));
    field(out, "Share PID NS:", String.valueOf(s.get("shareProcessNamespace").asBoolean(false)));
    field(out, "Logs:", s.get("logDirectory").text(""));
    if (s.has("initContainerStatuses")) {
      out.println("Init Containers:");
      s.get("initContainerStatuses").list().forEach(c -> container(out, c));
    }
    out.println("Containers:");
    s.get("containerStatuses").list().forEach(c -> container(out, c));
    out.println("Conditions:");
    Table conditions = new Table("  Type", "Status");
    s.get("conditions").list().forEach(c -> conditions.row("  " + c.get("type").text(""), c.get("status").text("")));
    conditions.print(out);
    if (events.isEmpty()) {
      out.println("Events:          <none>");
      return;
    }
    out.println("Events:");
    Table t = new Table("  Type", "Reason", "Age", "From", "Message");
    t.row("  ----", "------", "----", "----", "-------");
    for (JsonNode e : events) {
      long count = e.get("count").asLong(1);
      String age = count > 1 ? Ages.since(e.get("lastTimestamp").text(""), now) + " (x" + count + " over "
          + Ages.since(e.get("firstTimestamp").text(""), now) + ")" : Ages.since(e.get("lastTimestamp").text(""), now);
      t.row("  " + e.get("type").text(""), e.get("reason").text(""), age, "kubelet", e.get("message").text(""));
    }
    t.print(out);
  }

  private static void container(PrintStream out, JsonNode c) {
    out.println("  " + c.get("name").text("") + ":");
    sub(out, "Container ID:", c.get("containerID").text(""));
    sub(out, "Image:", c.get("image").text(""));
    sub(out, "Image ID:", c.get("imageID").text(""));
    if (c.has("restartPolicy")) {
      sub(out, "Restart Policy:", c.get("restartPolicy").text(""));
    }
    state(out, "State:", c.get("state"));
    if (c.get("lastState").has("terminated")) {
      state(out, "Last State:", c.get("lastState"));
    }
    sub(out, "Ready:", String.valueOf(c.get("ready").asBoolean(false)));
    sub(out, "Restart Count:", String.valueOf(c.get("restartCount").asLong(0)));
    if (c.get("pid").asLong(0) > 0) {
      sub(out, "PID:", String.valueOf(c.get("pid").asLong(0)));
    }
    sub(out, "Log:", c.get("logPath").text(""));
  }

  private static void state(PrintStream out, String label, JsonNode st) {
    if (st.has("running")) {
      sub(out, label, "Running");
      sub(out, "  Started:", st.get("running").get("startedAt").text(""));
    } else if (st.has("terminated")) {
      JsonNode t = st.get("terminated");
      sub(out, label, "Terminated");
      sub(out, "  Reason:", t.get("reason").text(""));
      t.get("message").text().ifPresent(msg -> sub(out, "  Message:", msg));
      sub(out, "  Exit Code:", String.valueOf(t.get("exitCode").asLong(0)));
      sub(out, "  Started:", t.get("startedAt").text(""));
      sub(out, "  Finished:", t.get("finishedAt").text(""));
    } else {
      sub(out, label, "Waiting");
      sub(out, "  Reason:", st.get("waiting").get("reason").text(""));
      st.get("waiting").get("message").text().ifPresent(msg -> sub(out, "  Message:", msg));
    }
  }

  private static void labels(PrintStream out, String label, JsonNode map) {
    List<String> keys = map.keys();
    if (keys.isEmpty()) {
      field(out, label, "<none>");
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      field(out, i == 0 ? label : "", keys.get(i) + "=" + map.get(keys.get(i)).text(""));
    }
  }

  private static void field(PrintStream out, String label, String value) {
    out.println(String.format("%-14s%s", label, value));
  }

  private static void sub(PrintStream out, String label, String value) {
    out.println(String.format("    %-16s%s", label, value));
  }
}
