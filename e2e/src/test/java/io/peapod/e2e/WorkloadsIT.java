package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/// Jobs, Deployments (through ReplicaSets), StatefulSets and DaemonSets on real pods, and `apply` of
/// objects that exist: what their controllers make is read back from the API and from the kernel.
class WorkloadsIT extends SharedDaemon {
  private static final Path REPO = Path.of(System.getProperty("peapod.repo", ".."));

  private static List<JsonNode> pods(String selector) {
    return Json.parseNode(daemon.cli("get", "pods", "-l", selector, "-o", "json").ok().out()).get("items").list();
  }

  private static List<JsonNode> live(String selector) {
    return pods(selector).stream().filter(p -> !p.get("metadata").has("deletionTimestamp")).toList();
  }

  private static boolean ready(JsonNode pod) {
    return !pod.get("metadata").has("deletionTimestamp") && pod.get("status").get("conditions").list().stream()
        .anyMatch(c -> c.get("type").text("").equals("Ready") && c.get("status").text("").equals("True"));
  }

  private static JsonNode workload(String kind, String name) {
    return Json.parseNode(daemon.cli("get", kind, name, "-o", "json").ok().out());
  }

  private static boolean condition(JsonNode w, String type) {
    return w.get("status").get("conditions").list().stream()
        .anyMatch(c -> c.get("type").text("").equals(type) && c.get("status").text("").equals("True"));
  }

  private static int pid(JsonNode pod, String container) {
    return pod.get("status").get("containerStatuses").list().stream()
        .filter(c -> c.get("name").text("").equals(container)).mapToInt(c -> (int) c.get("pid").asLong(0))
        .findFirst().orElse(0);
  }

  private static String environ(int pid) throws IOException {
    return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/environ")), StandardCharsets.UTF_8)
        .replace('\0', '\n');
  }

  private static String logOf(String word) {
    try {
      return "\n" + Files.readAllLines(daemon.root.resolve("daemon.log")).stream().filter(l -> l.contains(word))
          .collect(Collectors.joining("\n"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void seedJob_asWritten_runsItsTwoContainerPod_andDeletingTheJobRemovesIt() throws Exception {
    String out = daemon.cli("apply", "-f", REPO.resolve("examples/two-containers-job.yaml").toString()).ok().out();
    assertTrue(out.contains("job.batch/two-containers-pod created"), out);
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("job-name=two-containers-pod").stream()
        .anyMatch(WorkloadsIT::ready)), daemon.cli("get", "pods").out());
    JsonNode pod = live("job-name=two-containers-pod").getFirst();
    String name = pod.get("metadata").get("name").text("");
    assertTrue(name.matches("two-containers-pod-[bcdfghjklmnpqrstvwxz2456789]{5}"), name);
    String table = daemon.cli("get", "pods").ok().out();
    assertTrue(table.lines().anyMatch(l -> l.startsWith(name) && l.contains("2/2") && l.contains("Running")), table);
    int hello = pid(pod, "hello");
    int hello2 = pid(pod, "hello2");
    assertTrue(ProcFs.HOST.isAlive(hello) && ProcFs.HOST.isAlive(hello2));
    assertEquals(ProcFs.HOST.namespaceInode(hello, Namespace.PID), ProcFs.HOST.namespaceInode(hello2, Namespace.PID),
        "shareProcessNamespace from the template holds");
    String jobs = daemon.cli("get", "jobs").ok().out();
    assertTrue(jobs.lines().anyMatch(l -> l.matches("two-containers-pod\\s+Running\\s+0/1\\s+.*")), jobs);
    String describe = daemon.cli("describe", "pod", name).ok().out();
    assertTrue(describe.matches("(?s).*Controlled By:\\s+Job/two-containers-pod\n.*"), describe);

    daemon.cli("delete", "job", "two-containers-pod").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("job-name=two-containers-pod").isEmpty()),
        daemon.cli("get", "pods").out());
    assertTrue(!ProcFs.HOST.isAlive(hello) && !ProcFs.HOST.isAlive(hello2), "the pod's processes are gone");
  }

  @Test
  void seedJob_withShortCommands_completes() throws Exception {
    String yaml = Files.readString(REPO.resolve("examples/two-containers-job.yaml"))
        .replace("name: two-containers-pod", "name: two-containers-done").replace("sleep 3600", "sleep 1");
    daemon.cli("apply", "-f", daemon.writeManifest("done.yaml", yaml).toString()).ok();
    CliResult waited = daemon.cli("wait", "--for=condition=Complete", "job/two-containers-done", "--timeout", "60s");
    assertEquals(0, waited.exitCode(), waited.err());
    assertEquals("job.batch/two-containers-done condition met", waited.out().strip());
    JsonNode job = workload("job", "two-containers-done");
    assertEquals(1, job.get("status").get("succeeded").asLong(0));
    assertEquals("Succeeded", pods("job-name=two-containers-done").getFirst().get("status").get("phase").text(""));
    String jobs = daemon.cli("get", "jobs").ok().out();
    assertTrue(jobs.lines().anyMatch(l -> l.matches("two-containers-done\\s+Complete\\s+1/1\\s+.*")), jobs);
    daemon.cli("delete", "job", "two-containers-done").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pods("job-name=two-containers-done").isEmpty()));
  }

  @Test
  void completionsFive_parallelismTwo_neverMoreThanTwoAtOnce() throws Exception {
    Path host = Files.createDirectories(daemon.root.resolve("five"));
    daemon.cli("apply", "-f", daemon.writeManifest("five.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: five}
        spec:
          completions: 5
          parallelism: 2
          template:
            spec:
              restartPolicy: Never
              containers:
              - name: w
                image: busybox
                command: ['sh', '-c', 'echo "$(cut -d" " -f1 /proc/uptime) 1" >> /h/log; sleep 1;
                  echo "$(cut -d" " -f1 /proc/uptime) -1" >> /h/log']
                volumeMounts: [{name: h, mountPath: /h}]
              volumes: [{name: h, hostPath: {path: %s}}]
        """.formatted(host)).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(90), () -> condition(workload("job", "five"), "Complete")),
        workload("job", "five").raw().toString());
    TreeMap<Double, Integer> changes = new TreeMap<>();
    List<String> lines = Files.readAllLines(host.resolve("log"));
    for (String l : lines) {
      String[] f = l.split(" ");
      changes.merge(Double.parseDouble(f[0]), Integer.parseInt(f[1]), Integer::sum);
    }
    int running = 0;
    int most = 0;
    for (int delta : changes.values()) {
      running += delta;
      most = Math.max(most, running);
    }
    assertEquals(5, lines.stream().filter(l -> l.endsWith(" 1")).count(), lines.toString());
    assertTrue(most <= 2, "at most parallelism pods ran at once: " + lines);
    assertEquals(5, pods("job-name=five").size());
    daemon.cli("delete", "job", "five").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pods("job-name=five").isEmpty()));
  }

  @Test
  void alwaysFailingJob_stopsAfterBackoffLimit() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("fail.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: fail}
        spec:
          backoffLimit: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: w, image: busybox, command: ['sh', '-c', 'exit 1']}]
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> condition(workload("job", "fail"), "Failed")),
        workload("job", "fail").raw().toString());
    JsonNode job = workload("job", "fail");
    assertTrue(job.raw().toString().contains("BackoffLimitExceeded"), job.raw().toString());
    Thread.sleep(5000);
    List<JsonNode> pods = pods("job-name=fail");
    assertEquals(3, pods.size(), "backoffLimit 2: the first pod and two retries");
    assertTrue(pods.stream().allMatch(p -> p.get("status").get("phase").text("").equals("Failed")));
    String jobs = daemon.cli("get", "jobs").ok().out();
    assertTrue(jobs.lines().anyMatch(l -> l.matches("fail\\s+Failed\\s+0/1\\s+.*")), jobs);
    daemon.cli("delete", "job", "fail").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pods("job-name=fail").isEmpty()));
  }

  @Test
  void deployment_keepsReplicas_scales_andRollsThroughATemplateChange() throws Exception {
    String yaml = Files.readString(REPO.resolve("examples/web-deployment.yaml"));
    daemon.cli("apply", "-f", daemon.writeManifest("web.yaml", yaml).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=web").stream().filter(WorkloadsIT::ready)
        .count() == 3), daemon.cli("get", "pods").out());
    String hash = workload("deployment", "web").get("status").get("revision").text("");
    String rs = daemon.cli("get", "rs", "-o", "name").ok().out().strip();
    assertTrue(rs.matches("replicaset.apps/web-[a-z0-9]+"), rs);
    live("app=web").forEach(p -> assertTrue(p.get("metadata").get("name").text("")
        .matches(rs.substring("replicaset.apps/".length()) + "-[bcdfghjklmnpqrstvwxz2456789]{5}"), p.raw().toString()));
    assertEquals("1", hash);

    String victim = live("app=web").getFirst().get("metadata").get("name").text("");
    daemon.cli("delete", "pod", victim, "--now").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=web").stream().filter(WorkloadsIT::ready)
        .count() == 3), "a deleted pod is replaced: " + daemon.cli("get", "pods").out());
    assertTrue(live("app=web").stream().noneMatch(p -> p.get("metadata").get("name").text("").equals(victim)));

    daemon.cli("scale", "deployment/web", "--replicas=5").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=web").stream().filter(WorkloadsIT::ready)
        .count() == 5), daemon.cli("get", "pods").out());
    daemon.cli("scale", "deployment", "web", "--replicas", "1").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("app=web").size() == 1),
        daemon.cli("get", "pods").out());
    daemon.cli("scale", "deployment/web", "--replicas=3").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=web").stream().filter(WorkloadsIT::ready)
        .count() == 3));
    assertTrue(daemon.eventually(Duration.ofSeconds(10), () -> daemon.cli("get", "deployments").ok().out().lines()
        .anyMatch(l -> l.matches("web\\s+3/3\\s+3\\s+3\\s+.*"))), daemon.cli("get", "deployments").out());

    // A template change rolls through: with maxUnavailable 0 and maxSurge 1, never fewer than 3 ready
    // pods and never more than 4 counted.
    AtomicInteger fewestReady = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger most = new AtomicInteger(0);
    List<String> samples = new ArrayList<>();
    Thread sampler = Thread.ofVirtual().start(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        List<JsonNode> now = pods("app=web");
        int readyNow = (int) now.stream().filter(WorkloadsIT::ready).count();
        int counted = (int) now.stream().filter(p -> !p.get("metadata").has("deletionTimestamp")).count();
        fewestReady.accumulateAndGet(readyNow, Math::min);
        most.accumulateAndGet(counted, Math::max);
        samples.add(readyNow + "/" + counted);
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    daemon.cli("apply", "-f", daemon.writeManifest("web2.yaml", yaml.replace("value: \"1\"", "value: \"2\""))
        .toString()).ok();
    CliResult status = daemon.cli("rollout", "status", "deployment/web", "--timeout", "120s");
    sampler.interrupt();
    sampler.join();
    assertEquals(0, status.exitCode(), status.out() + status.err());
    assertTrue(status.out().contains("deployment \"web\" successfully rolled out"), status.out());
    assertTrue(fewestReady.get() >= 3, "ready pods dropped to " + fewestReady + ": " + samples);
    assertTrue(most.get() <= 4, "more than replicas + maxSurge pods: " + samples);
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("app=web").size() == 3),
        daemon.cli("get", "pods", "-l", "app=web").out());
    for (JsonNode p : live("app=web")) {
      assertTrue(environ(pid(p, "web")).contains("VERSION=2"), "the running process has the new template");
    }
    String history = daemon.cli("rollout", "history", "deployment/web").ok().out();
    assertTrue(history.contains("1 ") && history.contains("2 "), history);

    daemon.cli("rollout", "undo", "deployment/web").ok();
    assertEquals(0, daemon.cli("rollout", "status", "deployment/web", "--timeout", "120s").exitCode());
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("app=web").size() == 3),
        daemon.cli("get", "pods", "-l", "app=web").out());
    for (JsonNode p : live("app=web")) {
      assertTrue(environ(pid(p, "web")).contains("VERSION=1"), "undo brings the first template back");
    }
    assertEquals("3", workload("deployment", "web").get("status").get("revision").text(""));

    daemon.cli("delete", "deployment", "web").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("app=web").isEmpty()));
    assertEquals("", daemon.cli("get", "rs", "-o", "name").ok().out().strip(), "its ReplicaSets go with it");
  }

  @Test
  void statefulSet_orderedStableNames_andDaemonSet_onePod() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("sts.yaml", """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          replicas: 2
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: c, image: busybox, command: [sleep, '3600']}]
        ---
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: c, image: busybox, command: [sleep, '3600']}]
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=db").stream().filter(WorkloadsIT::ready)
        .count() == 2), daemon.cli("get", "pods").out());
    Set<String> names = live("app=db").stream().map(p -> p.get("metadata").get("name").text(""))
        .collect(Collectors.toSet());
    assertEquals(Set.of("db-0", "db-1"), names);
    assertEquals("db-1", daemon.cli("exec", "db-1", "--", "hostname").ok().out().strip());
    assertTrue(daemon.eventually(Duration.ofSeconds(10), () -> daemon.cli("get", "sts").ok().out().lines()
        .anyMatch(l -> l.matches("db\\s+2/2\\s+.*"))), daemon.cli("get", "sts").out());
    int before = pid(daemon.pod("db-0"), "c");
    daemon.cli("delete", "pod", "db-0", "--now").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=db").stream().anyMatch(p -> ready(p)
        && p.get("metadata").get("name").text("").equals("db-0") && pid(p, "c") != before)),
        "db-0 comes back under its name");
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> live("app=agent").size() == 1
        && ready(live("app=agent").getFirst())));
    assertTrue(live("app=agent").getFirst().get("metadata").get("name").text("").matches("agent-[a-z0-9]{5}"));
    daemon.cli("delete", "statefulset", "db").ok();
    daemon.cli("delete", "ds/agent").ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(60), () -> pods("app in (db,agent)").isEmpty()));
  }

  @Test
  void apply_updatesAPod_refusesImmutableChanges_dryRuns_namespaces_lists_andSelectors() throws Exception {
    String pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: upd, labels: {app: upd}}
        spec:
          terminationGracePeriodSeconds: 1
          containers: [{name: c, image: %s, command: [sleep, '%s']}]
        """;
    Path file = daemon.writeManifest("upd.yaml", pod.formatted("busybox", "3600"));
    String dry = daemon.cli("apply", "--dry-run=server", "-f", file.toString()).ok().out();
    assertTrue(dry.contains("pod/upd created (server dry run)"), dry);
    assertTrue(pods("app=upd").isEmpty(), "a dry run creates nothing");
    daemon.cli("apply", "-f", file.toString(), "--wait").ok();
    int first = pid(daemon.pod("upd"), "c");
    String out = daemon.cli("apply", "-f", daemon.writeManifest("upd2.yaml",
        pod.formatted("docker.io/library/busybox:latest", "3600")).toString()).ok().out();
    assertTrue(out.contains("pod/upd configured"), out);
    assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> {
      int now = pid(daemon.pod("upd"), "c");
      return now != 0 && now != first;
    }), () -> "a changed image replaces the container: " + daemon.pod("upd").raw() + "\n" + daemon.events("upd")
        + logOf("upd"));
    assertTrue(!ProcFs.HOST.isAlive(first));
    CliResult refused = daemon.cli("apply", "-f", daemon.writeManifest("upd3.yaml",
        pod.formatted("docker.io/library/busybox:latest", "60")).toString());
    assertEquals(2, refused.exitCode(), refused.err());
    assertTrue(refused.err().contains("The Pod \"upd\" is invalid: spec.containers[0].command: Forbidden"),
        refused.err());

    Path dir = Files.createDirectories(daemon.root.resolve("many"));
    Files.writeString(dir.resolve("a.yaml"), """
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Pod, metadata: {name: l1, labels: {set: l}}, spec: {containers: [{name: c, image: busybox, command: [sleep, '3600']}]}}
        - {apiVersion: v1, kind: Pod, metadata: {name: l2, labels: {set: l}}, spec: {containers: [{name: c, image: busybox, command: [sleep, '3600']}]}}
        """);
    Files.writeString(dir.resolve("b.yml"), """
        apiVersion: v1
        kind: Pod
        metadata: {name: l3, labels: {set: l}}
        spec: {containers: [{name: c, image: busybox, command: [sleep, '3600']}]}
        """);
    out = daemon.cli("apply", "-n", "team", "-f", dir.toString()).ok().out();
    assertTrue(out.contains("pod/l1 created") && out.contains("pod/l3 created"), out);
    String teamPods = daemon.cli("get", "pods", "-n", "team", "-l", "set=l", "-o", "name").ok().out();
    assertEquals(List.of("pod/l1", "pod/l2", "pod/l3"), teamPods.lines().toList());
    CliResult mismatch = daemon.cli("apply", "-n", "other", "-f", daemon.writeManifest("ns.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: x, namespace: team}
        spec: {containers: [{name: c, image: busybox}]}
        """).toString());
    assertNotEquals(0, mismatch.exitCode());
    assertTrue(mismatch.err().contains("does not match the namespace \"other\""), mismatch.err());
    CliResult missing = daemon.cli("apply", "-f", daemon.writeManifest("hp.yaml", """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: hp}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, volumeMounts: [{name: v, mountPath: /v}]}]
              volumes: [{name: v, hostPath: {path: /nonexistent/peapod-it}}]
        """).toString());
    assertEquals(2, missing.exitCode(), missing.err());
    assertTrue(missing.err().contains("/nonexistent/peapod-it, which does not exist on this node"), missing.err());
    assertTrue(daemon.cli("get", "jobs", "-o", "name").ok().out().isBlank(), "nothing was created");
    daemon.cli("delete", "pods", "-n", "team", "-l", "set=l", "--now").ok();
    assertTrue(daemon.cli("get", "pods", "-n", "team", "-o", "name").ok().out().isBlank());
    daemon.cli("delete", "pod", "upd", "--now").ok();
  }

  @Test
  void rolloutInterruptedByASigkilledDaemon_continuesAfterRestart() throws Exception {
    try (TestDaemon d = TestDaemon.start()) {
      d.importBusybox();
      String yaml = """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: slow}
          spec:
            replicas: 3
            strategy: {rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}
            selector: {matchLabels: {app: slow}}
            template:
              metadata: {labels: {app: slow}}
              spec:
                terminationGracePeriodSeconds: 1
                containers:
                - name: c
                  image: busybox
                  command: [sleep, '3600']
                  env: [{name: V, value: "%s"}]
                  readinessProbe: {exec: {command: ['true']}, initialDelaySeconds: 2, periodSeconds: 1}
          """;
      d.cli("apply", "-f", d.writeManifest("slow.yaml", yaml.formatted("1")).toString()).ok();
      assertEquals(0, d.cli("rollout", "status", "deployment/slow", "--timeout", "90s").exitCode());
      d.cli("apply", "-f", d.writeManifest("slow2.yaml", yaml.formatted("2")).toString()).ok();
      assertTrue(d.eventually(Duration.ofSeconds(60), () -> {
        JsonNode w = Json.parseNode(d.cli("get", "deployment", "slow", "-o", "json").ok().out());
        // Until the controller has seen generation 2, the status still speaks of the first rollout.
        return w.get("status").get("observedGeneration").asLong(0) == 2
            && w.get("status").get("updatedReplicas").asLong(0) >= 1;
      }));
      JsonNode mid = Json.parseNode(d.cli("get", "deployment", "slow", "-o", "json").ok().out());
      assertTrue(mid.get("status").get("updatedReplicas").asLong(0) < 3, "still mid-rollout: " + mid.raw());
      d.kill9();
      d.startProcess();
      CliResult status = d.cli("rollout", "status", "deployment/slow", "--timeout", "120s");
      assertEquals(0, status.exitCode(), status.out() + status.err());
      JsonNode done = Json.parseNode(d.cli("get", "deployment", "slow", "-o", "json").ok().out());
      assertEquals(3, done.get("status").get("updatedReplicas").asLong(0), done.raw().toString());
      assertEquals(2, Json.parseNode(d.cli("get", "rs", "-o", "json").ok().out()).get("items").list().size(),
          "the restarted daemon went on with the same two ReplicaSets");
      assertTrue(d.eventually(Duration.ofSeconds(30), () -> Json.parseNode(d.cli("get", "pods", "-o", "json").ok()
          .out()).get("items").list().size() == 3));
    }
  }
}
