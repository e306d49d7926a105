package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.output.Ages;
import io.peapod.cli.output.DataDescription;
import io.peapod.cli.output.Table;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `describe pod NAME`: the pod in detail as kubectl prints it: status and QoS, init containers and
/// containers with their state, last state, readiness and restarts, conditions, and events; plus the
/// sandbox, pause process and netns pin. `describe secret|configmap NAME` as [DataDescription] prints them.
public final class DescribeCommand implements CliCommand {
  @Override
  public String name() {
    return "describe";
  }

  @Override
  public String usage() {
    return "peapod describe pod|deployment|replicaset|job|daemonset|statefulset|secret|configmap NAME [-n NS]";
  }

  @Override
  public String summary() {
    return "Show a pod, workload, secret or configmap in detail";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Resources.Target target = Resources.target(a.positionals(), "the resource type (pod, deployment, ...)");
    Optional<String> data = switch (target.type()) {
      case "secret", "secrets" -> Optional.of("secrets");
      case "configmap", "configmaps", "cm" -> Optional.of("configmaps");
      default -> Optional.empty();
    };
    if (data.isPresent()) {
      for (String name : target.names()) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataDescription.print(new PrintStream(buf, true, StandardCharsets.UTF_8), ctx.client().get("/v1/" + data.get()
            + "/" + ctx.namespace() + "/" + name, Map.of()));
        ctx.io().out().print(buf.toString(StandardCharsets.UTF_8));
      }
      return 0;
    }
    if (!Resources.POD_NAMES.contains(target.type())) {
      String plural = Resources.workload(target.type()).orElseThrow(() -> new InvalidArgumentException(
          "unknown resource type '" + target.type() + "'; peapod describes pods, jobs, deployments, replicasets,"
              + " daemonsets and statefulsets"));
      for (String name : target.names()) {
        JsonNode w = ctx.client().get("/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + name, Map.of());
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        WorkloadDescription.print(new PrintStream(buf, true, StandardCharsets.UTF_8), plural, w);
        ctx.io().out().print(buf.toString(StandardCharsets.UTF_8));
      }
      return 0;
    }
    if (target.names().isEmpty()) {
      throw new InvalidArgumentException("missing the pod's name");
    }
    String name = target.names().getFirst();
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
    controlledBy(out, m);
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

  /// `Controlled By:  ReplicaSet/web-5d4f8` from the owner reference marked as the controller.
  static void controlledBy(PrintStream out, JsonNode meta) {
    for (JsonNode o : meta.get("ownerReferences").list()) {
      if (o.get("controller").asBoolean(false)) {
        field(out, "Controlled By:", o.get("kind").text("") + "/" + o.get("name").text(""));
      }
    }
  }

  static void labels(PrintStream out, String label, JsonNode map) {
    List<String> keys = map.keys();
    if (keys.isEmpty()) {
      field(out, label, "<none>");
      return;
    }
    for (int i = 0; i < keys.size(); i++) {
      field(out, i == 0 ? label : "", keys.get(i) + "=" + map.get(keys.get(i)).text(""));
    }
  }

  static void field(PrintStream out, String label, String value) {
    out.println(String.format("%-15s%s", label, value));
  }

  private static void sub(PrintStream out, String label, String value) {
    out.println(String.format("    %-16s%s", label, value));
  }
}
