package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/// What the kubelet does to a pod after it is created, on real pods: restarts and their back-off, phases,
/// init containers and sidecars, probes, hooks, and containers whose monitor or pause process is killed.
class LifecycleIT extends SharedDaemon {
  private static List<Double> starts(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).stream().map(Double::parseDouble).toList() : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }


  private static long restarts(JsonNode container) {
    return container.get("restartCount").asLong(-1);
  }

  private static String condition(JsonNode pod, String type) {
    return pod.get("status").get("conditions").list().stream()
        .filter(c -> c.get("type").text("").equals(type)).map(c -> c.get("status").text(""))
        .findFirst().orElse("");
  }

  @Test
  void crashLoop_doublesItsDelays_andASigkilledDaemonKeepsTheCountAndTheBackOff() throws Exception {
    try (TestDaemon d = TestDaemon.start()) {
      d.importBusybox();
      Path host = Files.createDirectories(d.root.resolve("crash"));
      d.cli("apply", "-f", d.writeManifest("crash.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: crash
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime >> /h/starts; exit 3']
              volumeMounts: [{name: h, mountPath: /h}]
            volumes:
            - name: h
              hostPath: {path: %s}
          """.formatted(host)).toString()).ok();
      Path file = host.resolve("starts");
      assertTrue(d.eventually(Duration.ofSeconds(30), () -> starts(file).size() >= 5), "five starts: " + starts(file));
      List<Double> t = starts(file);
      // As kubelet: the first restart is at once, then the back-off (1 s for the test daemon) doubles.
      double g1 = t.get(1) - t.get(0);
      double g2 = t.get(2) - t.get(1);
      double g3 = t.get(3) - t.get(2);
      double g4 = t.get(4) - t.get(3);
      assertTrue(g1 < 0.9 && g2 >= 0.9 && g3 / g2 > 1.5 && g3 / g2 < 2.6 && g4 / g3 > 1.5 && g4 / g3 < 2.6,
          "delays double: " + g1 + ", " + g2 + ", " + g3 + ", " + g4);
      JsonNode c = d.container("crash", "c");
      assertTrue(restarts(c) >= 4, c.raw().toString());
      assertEquals(3, c.get("lastState").get("terminated").get("exitCode").asLong(-1), c.raw().toString());
      assertEquals("Error", c.get("lastState").get("terminated").get("reason").text(""));
      assertTrue(d.eventually(() -> d.cli("get", "pods").ok().out().contains("CrashLoopBackOff")),
          d.cli("get", "pods").out());
      String table = d.cli("get", "pods").ok().out();
      assertTrue(table.matches("(?s).*crash +0/1 +CrashLoopBackOff +[4-9] \\(\\d+s ago\\).*"), table);
      assertTrue(d.events("crash").contains("Back-off restarting failed container c"), d.events("crash"));
      long before = restarts(d.container("crash", "c"));

      d.kill9();
      d.startProcess();
      assertEquals(before, restarts(d.container("crash", "c")), "the restart count survives a SIGKILL");
      double last = starts(file).getLast();
      assertEquals(last, t.get(4), "no start while the daemon was down");
      assertTrue(d.eventually(Duration.ofSeconds(30), () -> starts(file).size() >= 6), "it keeps restarting");
      double next = starts(file).get(5) - t.get(4);
      assertTrue(next > 6, "the back-off (8 s now) survives too: the sixth start came " + next + " s after the fifth");
      d.cli("delete", "pod", "crash", "--now").ok();
      assertEquals(List.of(), d.leftovers());
    }
  }

  @Test
  void onFailure_restartsUntilSuccess_andTheSucceededPodIsLeftAlone() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("onfailure.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: onfailure
        spec:
          restartPolicy: OnFailure
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'if [ -f /v/once ]; then echo second; exit 0; fi; touch /v/once; exit 1']
            volumeMounts: [{name: v, mountPath: /v}]
          volumes:
          - name: v
            emptyDir: {}
        """).toString()).ok();
    daemon.cli("wait", "pod/onfailure", "--for=condition=Completed", "--timeout=30s").ok();
    JsonNode pod = daemon.pod("onfailure");
    assertEquals("Succeeded", pod.get("status").get("phase").text(""));
    JsonNode c = daemon.container("onfailure", "c");
    assertEquals(1, restarts(c));
    assertEquals("Completed", c.get("state").get("terminated").get("reason").text(""));
    assertEquals(1, c.get("lastState").get("terminated").get("exitCode").asLong(-1));
    assertEquals("second\n", daemon.cli("logs", "onfailure").ok().out());
    Thread.sleep(2500);
    assertEquals(1, restarts(daemon.container("onfailure", "c")), "a succeeded pod is not restarted");
    daemon.cli("delete", "pod", "onfailure", "--now").ok();
  }

  @Test
  void initContainers_runOneAtATimeInOrder_beforeTheApp_andAFailingOneFailsThePod() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("init.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: init
        spec:
          initContainers:
          - name: first
            image: busybox
            command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime; sleep 1; cut -d" " -f1 /proc/uptime']
          - name: second
            image: busybox
            command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime; sleep 1; cut -d" " -f1 /proc/uptime']
          containers:
          - name: app
            image: busybox
            command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime; sleep 3600']
        """).toString(), "--wait", "--timeout=60s").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(10), () -> !daemon.cli("logs", "init", "-c", "app").ok().out()
        .isBlank()), "the app's first line reaches its log");
    List<Double> first = daemon.cli("logs", "init", "-c", "first").ok().out().lines().map(Double::parseDouble).toList();
    List<Double> second = daemon.cli("logs", "init", "-c", "second").ok().out().lines().map(Double::parseDouble).toList();
    double app = Double.parseDouble(daemon.cli("logs", "init", "-c", "app").ok().out().trim());
    assertTrue(first.get(1) < second.get(0) && second.get(1) < app, first + " then " + second + " then " + app);
    assertEquals("Completed", daemon.container("init", "first").get("state").get("terminated").get("reason").text(""));
    assertEquals("True", condition(daemon.pod("init"), "Initialized"));
    daemon.cli("delete", "pod", "init", "--now").ok();

    daemon.cli("apply", "-f", daemon.writeManifest("badinit.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: badinit
        spec:
          restartPolicy: Never
          initContainers:
          - name: ok
            image: busybox
            command: ['true']
          - name: fails
            image: busybox
            command: ['sh', '-c', 'exit 2']
          containers:
          - name: app
            image: busybox
            command: ['sleep', '3600']
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(20),
        () -> daemon.pod("badinit").get("status").get("phase").text("").equals("Failed")));
    assertTrue(daemon.cli("get", "pods").ok().out().matches("(?s).*badinit +0/1 +Init:Error .*"),
        daemon.cli("get", "pods").out());
    assertEquals("", daemon.container("badinit", "app").get("containerID").text(""), "the app never started");
    daemon.cli("delete", "pod", "badinit", "--now").ok();
  }

  @Test
  void sidecar_startsBeforeTheApp_keepsRunningBesideIt_andIsRestarted() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("sidecar.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: sidecar
        spec:
          initContainers:
          - name: side
            image: busybox
            restartPolicy: Always
            command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime; sleep 3600']
          containers:
          - name: app
            image: busybox
            command: ['sh', '-c', 'cut -d" " -f1 /proc/uptime; sleep 3600']
        """).toString(), "--wait", "--timeout=60s").ok();
    // Ready comes with the start; the first line reaches the log through conmon a moment later.
    assertTrue(daemon.eventually(Duration.ofSeconds(10), () -> !daemon.cli("logs", "sidecar", "-c", "app").ok().out()
        .isBlank() && !daemon.cli("logs", "sidecar", "-c", "side").ok().out().isBlank()));
    double side = Double.parseDouble(daemon.cli("logs", "sidecar", "-c", "side").ok().out().trim());
    double app = Double.parseDouble(daemon.cli("logs", "sidecar", "-c", "app").ok().out().trim());
    assertTrue(side < app, "the sidecar started first");
    assertTrue(daemon.cli("get", "pods").ok().out().matches("(?s).*sidecar +2/2 +Running .*"),
        daemon.cli("get", "pods").out());
    long pid = daemon.container("sidecar", "side").get("pid").asLong(0);
    TestDaemon.run("kill", "-9", String.valueOf(pid));
    assertTrue(daemon.eventually(Duration.ofSeconds(15),
        () -> restarts(daemon.container("sidecar", "side")) == 1
            && daemon.container("sidecar", "side").get("pid").asLong(0) > 0),
        "a sidecar that exits is restarted");
    assertTrue(ProcFs.HOST.isAlive(daemon.pid("sidecar", "app")), "the app kept running");
    daemon.cli("delete", "pod", "sidecar", "--now").ok();
  }

  @Test
  void readinessProbe_overHttpFromTheNode_flipsReadyBothWays() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("ready.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: ready
        spec:
          containers:
          - name: web
            image: busybox
            command: ['sh', '-c', 'mkdir -p /www && exec httpd -f -p 8080 -h /www']
            ports: [{name: http, containerPort: 8080}]
            readinessProbe:
              httpGet: {path: /ready, port: http, httpHeaders: [{name: X-Probe, value: peapod}]}
              periodSeconds: 1
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("ready", "web") > 0));
    Thread.sleep(2500);
    assertTrue(daemon.cli("get", "pods").ok().out().matches("(?s).*ready +0/1 +Running .*"),
        "not ready while /ready is a 404: " + daemon.cli("get", "pods").out());
    assertEquals("False", condition(daemon.pod("ready"), "Ready"));
    daemon.cli("exec", "ready", "--", "touch", "/www/ready").ok();
    assertTrue(daemon.eventually(() -> daemon.cli("get", "pods").ok().out().matches("(?s).*ready +1/1 +Running .*")),
        daemon.cli("get", "pods").out());
    assertEquals("True", condition(daemon.pod("ready"), "Ready"));
    assertEquals("True", condition(daemon.pod("ready"), "ContainersReady"));
    daemon.cli("exec", "ready", "--", "rm", "/www/ready").ok();
    assertTrue(daemon.eventually(() -> condition(daemon.pod("ready"), "Ready").equals("False")));
    assertTrue(daemon.events("ready").contains("Readiness probe failed: HTTP probe failed with statuscode: 404"),
        daemon.events("ready"));
    daemon.cli("delete", "pod", "ready", "--now").ok();
  }

  @Test
  void livenessProbe_thatStartsFailing_restartsTheContainer() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("live.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: live
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'touch /tmp/healthy; exec sleep 3600']
            livenessProbe:
              exec: {command: [cat, /tmp/healthy]}
              periodSeconds: 1
              failureThreshold: 2
        """).toString(), "--wait").ok();
    int pid = daemon.pid("live", "c");
    Thread.sleep(2500);
    assertEquals(0, restarts(daemon.container("live", "c")), "healthy: not restarted");
    daemon.cli("exec", "live", "--", "rm", "/tmp/healthy").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> restarts(daemon.container("live", "c")) == 1
        && daemon.pid("live", "c") > 0));
    assertFalse(ProcFs.HOST.isAlive(pid), "the unhealthy instance was killed");
    String events = daemon.events("live");
    assertTrue(events.contains("Liveness probe failed") && events.contains("failed liveness probe, will be restarted"),
        events);
    daemon.cli("delete", "pod", "live", "--now").ok();
  }

  @Test
  void preStop_runsBeforeSigterm() throws Exception {
    Path host = Files.createDirectories(daemon.root.resolve("prestop"));
    daemon.cli("apply", "-f", daemon.writeManifest("prestop.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: prestop
        spec:
          terminationGracePeriodSeconds: 10
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'trap "echo got-TERM >> /h/log; exit 0" TERM; while true; do sleep 0.1; done']
            volumeMounts: [{name: h, mountPath: /h}]
            lifecycle:
              preStop:
                exec: {command: ['sh', '-c', 'echo prestop >> /h/log']}
          volumes:
          - name: h
            hostPath: {path: %s}
        """.formatted(host)).toString(), "--wait").ok();
    daemon.cli("delete", "pod", "prestop").ok();
    assertEquals(List.of("prestop", "got-TERM"), Files.readAllLines(host.resolve("log")));
  }

  @Test
  void staticPods_followTheirFiles_andCannotBeDeletedThroughTheApi() throws Exception {
    Path dir = Files.createDirectories(daemon.root.resolve("manifests"));
    String node = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase();
    String name = "web-" + node;
    Path file = dir.resolve("web.yaml");
    String manifest = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'echo %s; sleep 3600']
        """;
    Files.writeString(file, manifest.formatted("one"));
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> daemon.cli("logs", name).out().equals("one\n")),
        "a file dropped into the directory starts its pod");
    var refused = daemon.cli("delete", "pod", name);
    assertTrue(refused.exitCode() != 0 && refused.err().contains("static pod") && refused.err().contains(file.toString()),
        refused.err());
    Files.writeString(file, manifest.formatted("two"));
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> daemon.cli("logs", name).out().equals("two\n")),
        "a changed file replaces its pod");
    Files.delete(file);
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> daemon.cli("get", "pod", name).exitCode() != 0),
        "a removed file deletes its pod");
  }

  @Test
  void aKilledPodMonitor_endsThePodsContainersWith137_andThePodComesBackInANewSandbox() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("monitor.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: monitor
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """).toString(), "--wait").ok();
    int pid = daemon.pid("monitor", "c");
    int pause = daemon.pausePid("monitor");
    int monitor = TestDaemon.parentPid(pid);
    assertTrue(TestDaemon.isPodMonitor(ProcFs.HOST.cmdline(monitor)), ProcFs.HOST.cmdline(monitor));
    assertEquals(monitor, TestDaemon.parentPid(pause), "one monitor is the parent of the pause and of the container");
    TestDaemon.run("kill", "-9", String.valueOf(monitor));
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> restarts(daemon.container("monitor", "c")) == 1
        && daemon.pid("monitor", "c") > 0 && daemon.pausePid("monitor") > 0 && daemon.pausePid("monitor") != pause),
        daemon.pod("monitor").raw().toString());
    JsonNode last = daemon.container("monitor", "c").get("lastState").get("terminated");
    assertEquals(137, last.get("exitCode").asLong(-1), last.raw().toString());
    assertEquals("ContainerStatusUnknown", last.get("reason").text(""));
    assertTrue(daemon.eventually(() -> !ProcFs.HOST.isAlive(pid) && !ProcFs.HOST.isAlive(pause)),
        "the instances whose monitor died are killed");
    int newMonitor = TestDaemon.parentPid(daemon.pid("monitor", "c"));
    assertTrue(newMonitor != monitor && TestDaemon.isPodMonitor(ProcFs.HOST.cmdline(newMonitor)),
        ProcFs.HOST.cmdline(newMonitor));
    daemon.cli("delete", "pod", "monitor", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void anInteractiveContainer_keepsAConmonOfItsOwn_besideThePodMonitor() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("interactive.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: interactive
        spec:
          containers:
          - name: plain
            image: busybox
            command: ['sleep', '3600']
          - name: shell
            image: busybox
            command: ['sh']
            stdin: true
        """).toString(), "--wait").ok();
    int podMonitor = TestDaemon.parentPid(daemon.pausePid("interactive"));
    assertTrue(TestDaemon.isPodMonitor(ProcFs.HOST.cmdline(podMonitor)), ProcFs.HOST.cmdline(podMonitor));
    assertEquals(podMonitor, TestDaemon.parentPid(daemon.pid("interactive", "plain")));
    int conmon = TestDaemon.parentPid(daemon.pid("interactive", "shell"));
    assertTrue(ProcFs.HOST.cmdline(conmon).contains("conmon"), "stdin is relayed by conmon: "
        + ProcFs.HOST.cmdline(conmon));
    daemon.cli("delete", "pod", "interactive", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void aKilledPause_isNoticed_andThePodGetsANewSandbox() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("pause.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pause
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """).toString(), "--wait").ok();
    int pause = daemon.pausePid("pause");
    int pid = daemon.pid("pause", "c");
    TestDaemon.run("kill", "-9", String.valueOf(pause));
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> {
      int p = daemon.pausePid("pause");
      int c = daemon.pid("pause", "c");
      return p > 0 && p != pause && c > 0 && c != pid;
    }), daemon.pod("pause").raw().toString());
    int newPause = daemon.pausePid("pause");
    assertEquals(ProcFs.HOST.namespaceInode(newPause, Namespace.NET),
        ProcFs.HOST.namespaceInode(daemon.pid("pause", "c"), Namespace.NET),
        "the restarted container is in the new sandbox's network");
    assertTrue(daemon.eventually(() -> !ProcFs.HOST.isAlive(pid)));
    assertTrue(daemon.events("pause").contains("SandboxChanged"), daemon.events("pause"));
    daemon.cli("delete", "pod", "pause", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  /// A container that, on SIGTERM, notes it and waits for its peer's note: only if both got SIGTERM while
  /// both still ran does each see the other's. Stopping one container (or pod) after the other would leave
  /// the first waiting for a note that comes only after it is gone.
  private static String peer(String me, String other) {
    return "trap 'echo " + me + " >> /h/term; for i in $(seq 100); do grep -qx " + other + " /h/term && { echo "
        + me + "-saw-" + other + " >> /h/term; exit 0; }; sleep 0.1; done; exit 1' TERM; while true; do sleep 0.1; done";
  }

  @Test
  void deletes_stopAPodsContainersInParallel_andManyPodsInParallel() throws Exception {
    Path host = Files.createDirectories(daemon.root.resolve("parallel"));
    String twoContainers = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: both
        spec:
          terminationGracePeriodSeconds: 20
          containers:
          - {name: a, image: busybox, command: ['sh', '-c', "%s"], volumeMounts: [{name: h, mountPath: /h}]}
          - {name: b, image: busybox, command: ['sh', '-c', "%s"], volumeMounts: [{name: h, mountPath: /h}]}
          volumes:
          - {name: h, hostPath: {path: %s}}
        """.formatted(peer("a", "b"), peer("b", "a"), host);
    daemon.cli("apply", "-f", daemon.writeManifest("both.yaml", twoContainers).toString(), "--wait").ok();
    daemon.cli("delete", "pod", "both").ok();
    List<String> lines = Files.readAllLines(host.resolve("term"));
    assertTrue(lines.contains("a-saw-b") && lines.contains("b-saw-a"), "both got SIGTERM together: " + lines);

    Files.delete(host.resolve("term"));
    String onePod = """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          terminationGracePeriodSeconds: 20
          containers:
          - {name: c, image: busybox, command: ['sh', '-c', "%s"], volumeMounts: [{name: h, mountPath: /h}]}
          volumes:
          - {name: h, hostPath: {path: %s}}
        """;
    daemon.cli("apply", "-f", daemon.writeManifest("x.yaml", onePod.formatted("x", peer("x", "y"), host)).toString(),
        "--wait").ok();
    daemon.cli("apply", "-f", daemon.writeManifest("y.yaml", onePod.formatted("y", peer("y", "x"), host)).toString(),
        "--wait").ok();
    daemon.cli("delete", "pod", "x", "y").ok();
    lines = Files.readAllLines(host.resolve("term"));
    assertTrue(lines.contains("x-saw-y") && lines.contains("y-saw-x"), "both pods got SIGTERM together: " + lines);
  }

  /// The standard gRPC health protocol, against a health server this test runs on the node, probed for a
  /// hostNetwork pod (whose IP is the node's).
  @Test
  void grpcReadinessProbe_followsTheHealthServer() throws Exception {
    io.grpc.protobuf.services.HealthStatusManager health = new io.grpc.protobuf.services.HealthStatusManager();
    io.grpc.Server server = io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder.forPort(0)
        .addService(health.getHealthService()).build().start();
    try {
      health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
      daemon.cli("apply", "-f", daemon.writeManifest("grpc.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: grpc
          spec:
            hostNetwork: true
            terminationGracePeriodSeconds: 1
            containers:
            - name: c
              image: busybox
              command: ['sleep', '3600']
              readinessProbe:
                grpc: {port: %d}
                periodSeconds: 1
          """.formatted(server.getPort())).toString()).ok();
      assertTrue(daemon.eventually(() -> daemon.pid("grpc", "c") > 0));
      Thread.sleep(2500);
      assertEquals("False", condition(daemon.pod("grpc"), "Ready"), "NOT_SERVING is not ready");
      health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      assertTrue(daemon.eventually(() -> condition(daemon.pod("grpc"), "Ready").equals("True")), "SERVING is ready");
      daemon.cli("delete", "pod", "grpc", "--now").ok();
    } finally {
      server.shutdownNow();
    }
  }

  /// A container restarted 50 times (back-off capped at 100 ms for the test, as kubelet's
  /// `maxContainerRestartPeriod` can) keeps the logs of the current and the previous instance only, and
  /// nothing of the dead ones: no mount, monitor or cgroup.
  @Test
  void fiftyRestarts_leaveOnlyTheKeptInstances() throws Exception {
    try (TestDaemon d = TestDaemon.startWithFlags("--backoff=100ms", "--backoff-max=100ms")) {
      d.importBusybox();
      d.cli("apply", "-f", d.writeManifest("fifty.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: fifty
          spec:
            containers:
            - {name: c, image: busybox, command: ['sh', '-c', 'echo run; exit 1']}
          """).toString()).ok();
      assertTrue(d.eventually(Duration.ofSeconds(120), () -> restarts(d.container("fifty", "c")) >= 50),
          d.container("fifty", "c").raw().toString());
      String uid = d.pod("fifty").get("metadata").get("uid").text("");
      Path logs = d.root.resolve("logs").resolve("default_fifty_" + uid).resolve("c");
      assertTrue(names(logs).size() <= 3, "the current and the previous instance's logs: " + names(logs));
      assertTrue(d.cli("logs", "fifty", "-p").ok().out().equals("run\n"));
      String sandbox = d.pod("fifty").get("status").get("sandboxId").text("");
      long containerMounts = ProcFs.HOST.mountPoints("self").stream()
          .filter(m -> m.startsWith(d.root.resolve("run/containers").toString())).count();
      assertTrue(d.usesRunc() ? containerMounts == 0 : containerMounts <= 1,
          "no instance's root on the node (with crun at most the running one's): " + containerMounts);
      List<Integer> monitors;
      try (var all = ProcessHandle.allProcesses()) {
        monitors = all.map(p -> (int) p.pid()).filter(p -> TestDaemon.isPodMonitor(ProcFs.HOST.cmdline(p))
            && ProcFs.HOST.cmdline(p).contains(d.root.toString())).toList();
      }
      assertEquals(1, monitors.size(), "one monitor for the pod: " + monitors);
      long descriptors = names(Path.of("/proc/" + monitors.getFirst() + "/fd")).size();
      assertTrue(descriptors <= 16, "the monitor holds the descriptors of its live containers only: " + descriptors);
      long cgroups = 0;
      for (Path h : TestDaemon.cgroupHierarchies()) {
        Path pod = d.podCgroup(h, sandbox);
        cgroups = Math.max(cgroups, names(pod).stream().filter(n -> Files.isDirectory(pod.resolve(n))).count());
      }
      assertTrue(cgroups <= 2, "the pause's and at most one container's cgroup: " + cgroups);
      d.cli("delete", "pod", "fifty", "--now").ok();
      assertEquals(List.of(), d.leftovers());
    }
  }

  private static List<String> names(Path dir) {
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (java.nio.file.NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /// `get pods -w` as the API streams it: the pods as they are, then each change of a pod as it starts.
  @Test
  void watch_streamsThePodsChanges() throws Exception {
    try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(
        java.net.UnixDomainSocketAddress.of(daemon.socket))) {
      c.write(java.nio.ByteBuffer.wrap("GET /v1/pods?namespace=default&watch=true HTTP/1.1\r\n\r\n"
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
      var in = new java.io.BufferedReader(new java.io.InputStreamReader(java.nio.channels.Channels.newInputStream(c),
          java.nio.charset.StandardCharsets.UTF_8));
      daemon.cli("apply", "-f", daemon.writeManifest("watched.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: watched
          spec:
            terminationGracePeriodSeconds: 1
            containers:
            - {name: c, image: busybox, command: ['sleep', '3600']}
          """).toString()).ok();
      List<String> seen = new java.util.ArrayList<>();
      // A stream that never shows the change must fail the test, not hang it.
      Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(30_000);
          c.close();
        } catch (InterruptedException | IOException e) {
          Thread.currentThread().interrupt();
        }
      });
      String line;
      while ((line = in.readLine()) != null && seen.size() < 50) {
        if (line.contains("\"name\":\"watched\"")) {
          seen.add(line.contains("\"type\":\"ADDED\"") ? "ADDED" : line.contains("\"type\":\"MODIFIED\"")
              ? "MODIFIED" : "other");
          if (line.contains("\"type\":\"MODIFIED\"") && line.contains("\"phase\":\"Running\"")) {
            break;
          }
        }
      }
      assertTrue(!seen.isEmpty() && seen.getFirst().equals("ADDED") && seen.getLast().equals("MODIFIED"),
          seen.toString());
      daemon.cli("delete", "pod", "watched", "--now").ok();
    }
  }

  @Test
  void aContainerOverItsMemoryLimit_endsOOMKilled() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("oom.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: oom
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'head -c 200m /dev/zero | tail']
            resources: {limits: {memory: 32Mi}}
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(30),
        () -> daemon.pod("oom").get("status").get("phase").text("").equals("Failed")));
    JsonNode t = daemon.container("oom", "c").get("state").get("terminated");
    assertEquals("OOMKilled", t.get("reason").text(""), t.raw().toString());
    assertEquals(137, t.get("exitCode").asLong(-1));
    assertTrue(daemon.cli("get", "pod", "oom").ok().out().contains("OOMKilled"), "the STATUS column says so");
    assertTrue(daemon.eventually(() -> daemon.events("oom").contains("OOMKilled")), daemon.events("oom"));
    daemon.cli("delete", "pod", "oom", "--now").ok();
  }
}
