package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.api.v1.ContainerState;
import io.peapod.base.api.v1.ContainerStatus;
import io.peapod.base.api.v1.DataDetail;
import io.peapod.base.api.v1.Event;
import io.peapod.base.api.v1.EventList;
import io.peapod.base.api.v1.ObjectMeta;
import io.peapod.base.api.v1.Pod;
import io.peapod.base.api.v1.PodStatus;
import io.peapod.base.api.v1.WorkloadDetail;
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
            + "/" + ctx.namespace() + "/" + name, Map.of(), DataDetail.class));
        ctx.io().out().print(buf.toString(StandardCharsets.UTF_8));
      }
      return 0;
    }
    if (!Resources.POD_NAMES.contains(target.type())) {
      String plural = Resources.workload(target.type()).orElseThrow(() -> new InvalidArgumentException(
          "unknown resource type '" + target.type() + "'; peapod describes pods, jobs, deployments, replicasets,"
              + " daemonsets and statefulsets"));
      for (String name : target.names()) {
        WorkloadDetail w = ctx.client().get("/v1/workloads/" + plural + "/" + ctx.namespace() + "/" + name, Map.of(),
            WorkloadDetail.class);
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
    Pod p = ctx.client().get(path, Map.of(), Pod.class);
    List<Event> events = ctx.client().get(path + "/events", Map.of(), EventList.class).items();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    print(new PrintStream(buf, true, StandardCharsets.UTF_8), p, events, Instant.now());
    ctx.io().out().print(buf.toString(StandardCharsets.UTF_8));
    return 0;
  }

  private static void print(PrintStream out, Pod p, List<Event> events, Instant now) {
    ObjectMeta m = p.metadata();
    PodStatus s = p.status();
    field(out, "Name:", m.name());
    field(out, "Namespace:", m.namespace());
    field(out, "UID:", m.uid());
    field(out, "Node:", s.nodeName());
    field(out, "Start Time:", s.startTime().or(m::creationTimestamp).map(Instant::toString).orElse(""));
    labels(out, "Labels:", m.labels());
    labels(out, "Annotations:", m.annotations());
    controlledBy(out, m);
    m.deletionTimestamp().ifPresent(t -> field(out, "Status:", "Terminating (since " + t + ")"));
    if (m.deletionTimestamp().isEmpty()) {
      field(out, "Status:", s.phase() + (s.display().equals(s.phase()) ? "" : " (" + s.display() + ")"));
    }
    s.reason().ifPresent(r -> field(out, "Reason:", r));
    s.message().ifPresent(r -> field(out, "Message:", r));
    field(out, "IP:", s.podIP().isEmpty() ? "<none>" : s.podIP());
    field(out, "QoS Class:", s.qosClass());
    field(out, "Sandbox:", s.sandboxId());
    field(out, "Pause PID:", String.valueOf(s.pausePid()));
    field(out, "Network NS:", s.hostNetwork() ? "host" : s.netnsPath());
    field(out, "Share PID NS:", String.valueOf(s.shareProcessNamespace()));
    field(out, "Logs:", s.logDirectory());
    if (!s.initContainerStatuses().isEmpty()) {
      out.println("Init Containers:");
      s.initContainerStatuses().forEach(c -> container(out, c));
    }
    out.println("Containers:");
    s.containerStatuses().forEach(c -> container(out, c));
    if (!s.ephemeralContainerStatuses().isEmpty()) {
      out.println("Ephemeral Containers:");
      s.ephemeralContainerStatuses().forEach(c -> container(out, c));
    }
    out.println("Conditions:");
    Table conditions = new Table("  Type", "Status");
    s.conditions().forEach(c -> conditions.row("  " + c.type(), c.status()));
    conditions.print(out);
    if (events.isEmpty()) {
      out.println("Events:          <none>");
      return;
    }
    out.println("Events:");
    Table t = new Table("  Type", "Reason", "Age", "From", "Message");
    t.row("  ----", "------", "----", "----", "-------");
    for (Event e : events) {
      String age = e.count() > 1 ? Ages.since(e.lastTimestamp(), now) + " (x" + e.count() + " over "
          + Ages.since(e.firstTimestamp(), now) + ")" : Ages.since(e.lastTimestamp(), now);
      t.row("  " + e.type(), e.reason(), age, e.source().component(), e.message());
    }
    t.print(out);
  }

  private static void container(PrintStream out, ContainerStatus c) {
    out.println("  " + c.name() + ":");
    sub(out, "Container ID:", c.containerID());
    sub(out, "Image:", c.image());
    sub(out, "Image ID:", c.imageID());
    c.restartPolicy().ifPresent(r -> sub(out, "Restart Policy:", r));
    state(out, "State:", c.state());
    c.lastState().ifPresent(l -> state(out, "Last State:", ContainerState.terminated(l.terminated())));
    sub(out, "Ready:", String.valueOf(c.ready()));
    sub(out, "Restart Count:", String.valueOf(c.restartCount()));
    if (c.pid() > 0) {
      sub(out, "PID:", String.valueOf(c.pid()));
    }
    sub(out, "Log:", c.logPath());
  }

  private static void state(PrintStream out, String label, ContainerState st) {
    if (st.running().isPresent()) {
      sub(out, label, "Running");
      sub(out, "  Started:", time(st.running().get().startedAt()));
    } else if (st.terminated().isPresent()) {
      ContainerState.Terminated t = st.terminated().get();
      sub(out, label, "Terminated");
      sub(out, "  Reason:", t.reason());
      t.message().ifPresent(msg -> sub(out, "  Message:", msg));
      sub(out, "  Exit Code:", String.valueOf(t.exitCode()));
      sub(out, "  Started:", time(t.startedAt()));
      sub(out, "  Finished:", time(t.finishedAt()));
    } else {
      ContainerState.Waiting w = st.waiting().orElse(new ContainerState.Waiting("", Optional.empty()));
      sub(out, label, "Waiting");
      sub(out, "  Reason:", w.reason());
      w.message().ifPresent(msg -> sub(out, "  Message:", msg));
    }
  }

  private static String time(Optional<Instant> t) {
    return t.map(Instant::toString).orElse("");
  }

  /// `Controlled By:  ReplicaSet/web-5d4f8` from the owner reference marked as the controller.
  static void controlledBy(PrintStream out, ObjectMeta meta) {
    meta.controller().ifPresent(o -> field(out, "Controlled By:", o.kind() + "/" + o.name()));
  }

  static void labels(PrintStream out, String label, Map<String, String> map) {
    if (map.isEmpty()) {
      field(out, label, "<none>");
      return;
    }
    List<String> keys = new java.util.ArrayList<>(new java.util.TreeSet<>(map.keySet()));
    for (int i = 0; i < keys.size(); i++) {
      field(out, i == 0 ? label : "", keys.get(i) + "=" + map.get(keys.get(i)));
    }
  }

  static void field(PrintStream out, String label, String value) {
    out.println(String.format("%-15s%s", label, value));
  }

  private static void sub(PrintStream out, String label, String value) {
    out.println(String.format("    %-16s%s", label, value));
  }
}
