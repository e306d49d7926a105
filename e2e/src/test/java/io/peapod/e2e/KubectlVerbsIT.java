package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/// kubectl habits on real pods: `label`, `annotate`, `get` with `-o jsonpath|go-template|custom-columns`, `--show-labels`,
/// `-L`, `--sort-by` and `--no-headers`, the spec in `-o yaml`, and the bash completion asking the daemon.
class KubectlVerbsIT extends SharedDaemon {
  private static final String PODS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: beta, labels: {app: web}}
      spec:
        containers: [{name: main, image: busybox, command: ['sleep', '3600']}]
        initContainers: [{name: setup, image: busybox, command: ['true']}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: alpha, labels: {app: db}}
      spec:
        containers: [{name: main, image: busybox, command: ['sleep', '3600']}]
      """;

  @Test
  void labelAndAnnotate_changeWhatGetPrints() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("verbs.yaml", PODS).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("alpha", "main") > 0 && daemon.pid("beta", "main") > 0));
    int before = daemon.pid("beta", "main");
    assertEquals("pod/beta labeled\n", daemon.cli("label", "pod", "beta", "tier=front").ok().out());
    var refused = daemon.cli("label", "pod", "beta", "app=api");
    assertNotEquals(0, refused.exitCode());
    assertTrue(refused.err().contains("'app' already has a value (web), and --overwrite is false"), refused.err());
    daemon.cli("label", "pod/beta", "app=api", "--overwrite").ok();
    assertEquals("pod/beta not labeled\n", daemon.cli("label", "pod", "beta", "app=api").ok().out());
    daemon.cli("label", "pod", "beta", "tier-").ok();
    assertTrue(daemon.cli("label", "pod", "beta", "Bad Key=x").exitCode() != 0, "keys are checked");
    assertEquals("pod/beta annotated\n", daemon.cli("annotate", "pod", "beta", "note=hello world").ok().out());
    assertEquals("{\"app\":\"api\"}", daemon.cli("get", "pod", "beta", "-o", "jsonpath={.metadata.labels}").ok()
        .out().trim());
    String yaml = daemon.cli("get", "pod", "beta", "-o", "yaml").ok().out();
    assertTrue(yaml.contains("note: hello world") && yaml.contains("spec:") && yaml.contains("name: setup"), yaml);
    Thread.sleep(500);
    assertEquals(before, daemon.pid("beta", "main"), "a label change does not restart the container");

    String table = daemon.cli("get", "pods", "--show-labels", "-L", "app", "--sort-by=.metadata.name").ok().out();
    List<String> lines = table.lines().toList();
    assertTrue(lines.get(0).matches("NAME\\s+READY\\s+STATUS\\s+RESTARTS\\s+AGE\\s+APP\\s+LABELS"), table);
    assertTrue(lines.get(1).startsWith("alpha") && lines.get(1).matches(".*\\bdb\\s+app=db$"), table);
    assertTrue(lines.get(2).startsWith("beta") && lines.get(2).endsWith("app=api"), table);
    String columns = daemon.cli("get", "pods", "--no-headers", "--sort-by", "{.metadata.name}", "-o",
        "custom-columns=NAME:.metadata.name,CONTAINERS:.spec.containers[*].name,IP:.status.podIP").ok().out();
    String alphaIp = daemon.pod("alpha").get("status").get("podIP").text("");
    assertTrue(columns.lines().findFirst().orElse("").matches("alpha\\s+main\\s+" + alphaIp.replace(".", "\\.")),
        columns);
    String range = daemon.cli("get", "pods", "-o",
        "jsonpath={range .items[*]}{.metadata.name}={.status.phase}{\"\\n\"}{end}", "--sort-by=.metadata.name")
        .ok().out();
    assertEquals("alpha=Running\nbeta=Running\n", range.strip() + "\n");
    assertTrue(daemon.cli("get", "pods", "-o", "jsonpath={.items[").exitCode() != 0);
    assertEquals("alpha=" + alphaIp + "\nbeta=", daemon.cli("get", "pods", "--sort-by=.metadata.name", "-o",
        "go-template={{range .items}}{{.metadata.name}}={{.status.podIP}}{{\"\\n\"}}{{end}}").ok().out()
        .substring(0, ("alpha=" + alphaIp + "\nbeta=").length()));
  }

  @Test
  void bashCompletion_completesVerbsKindsPodsAndContainers() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("verbs.yaml", PODS).toString()).ok();
    Path bin = Files.createTempDirectory("peapod-completion");
    Path wrapper = bin.resolve("peapod");
    Files.writeString(wrapper, "#!/bin/sh\nexec '" + TestDaemon.LAUNCHER + "' --socket='" + daemon.socket
        + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
    try {
      assertEquals("get", complete(bin, "peapod ge"));
      assertTrue(complete(bin, "peapod get ").contains("deployments"));
      assertEquals("alpha beta", complete(bin, "peapod logs "));
      assertEquals("setup main", complete(bin, "peapod exec beta -c "));
      assertTrue(complete(bin, "peapod get pods --sh").contains("--show-labels"));
    } finally {
      Files.delete(wrapper);
      Files.delete(bin);
    }
    daemon.cli("delete", "pod", "alpha", "beta", "--now").ok();
  }

  /// What the completion offers for the words of `line` (the last, maybe empty, being completed).
  private static String complete(Path bin, String line) throws Exception {
    String[] words = (line + (line.endsWith(" ") ? "''" : "")).split(" ");
    String script = "source <(peapod completion bash); COMP_WORDS=(" + String.join(" ", words) + "); COMP_CWORD="
        + (words.length - 1) + "; _peapod; echo \"${COMPREPLY[*]}\"";
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    p.waitFor();
    return out;
  }

  @Test
  void portForward_reachesAServerOnThePodsOwnLoopback() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("pf.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: pf}
        spec:
          containers:
          - name: web
            image: busybox
            command: ['sh', '-c', 'mkdir -p /www && echo forwarded > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www']
          - name: echo
            image: busybox
            command: ['nc', '-ll', '-p', '7000', '-e', 'cat']
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("pf", "web") > 0 && daemon.pid("pf", "echo") > 0));
    Process cli = new ProcessBuilder(TestDaemon.LAUNCHER.toString(), "--socket=" + daemon.socket,
        "port-forward", "pod/pf", ":8080", "0:9", ":7000").redirectErrorStream(true).start();
    try {
      var out = new java.io.BufferedReader(new java.io.InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8));
      String first = out.readLine();
      String second = out.readLine();
      String third = out.readLine();
      // An interactive exchange on a connection that stays open: each small answer must arrive by itself.
      try (var s = new java.net.Socket("127.0.0.1", Integer.parseInt(third.replaceAll(".*:(\\d+) -> .*", "$1")))) {
        s.setSoTimeout(10_000);
        var replies = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        for (String word : List.of("ping", "pong")) {
          s.getOutputStream().write((word + "\n").getBytes(StandardCharsets.UTF_8));
          s.getOutputStream().flush();
          assertEquals(word, replies.readLine(), "the echo through port-forward, the connection still open");
        }
      }
      assertTrue(first != null && first.matches("Forwarding from 127\\.0\\.0\\.1:\\d+ -> 8080"), first);
      int port = Integer.parseInt(first.replaceAll(".*:(\\d+) -> .*", "$1"));
      var http = java.net.http.HttpClient.newHttpClient();
      String body = "";
      for (int i = 0; i < 50 && !body.contains("forwarded"); i++) {
        try {
          body = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/"))
              .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException notYet) {
          Thread.sleep(100);
        }
      }
      assertEquals("forwarded\n", body, "httpd listens on the pod's 127.0.0.1 only, so this went through its netns");
      int closed = Integer.parseInt(second.replaceAll(".*:(\\d+) -> .*", "$1"));
      try (var s = new java.net.Socket("127.0.0.1", closed)) {
        assertEquals(-1, s.getInputStream().read(), "nothing listens on 9 in the pod: the connection just ends");
      }
      List<String> later = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> out.lines().forEach(later::add));
      assertTrue(daemon.eventually(() -> later.stream().anyMatch(l -> l.contains("error forwarding port 9 to pod pf"))),
          "the CLI says why: " + later);
    } finally {
      cli.destroy();
      cli.waitFor();
    }
    daemon.cli("delete", "pod", "pf", "--now").ok();
  }

  @Test
  void cp_copiesTreesBothWays_throughTarInTheContainer() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("cp.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: cp}
        spec:
          containers: [{name: c, image: busybox, command: ['sleep', '3600']}]
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("cp", "c") > 0));
    Path local = Files.createTempDirectory("peapod-cp");
    try {
      Path tree = Files.createDirectories(local.resolve("tree/sub"));
      Files.writeString(tree.resolve("a.txt"), "alpha");
      Files.writeString(local.resolve("tree/b.txt"), "beta");
      daemon.cli("cp", local.resolve("tree").toString(), "cp:/tmp/up").ok();
      assertEquals("alpha", daemon.cli("exec", "cp", "--", "cat", "/tmp/up/sub/a.txt").ok().out());
      daemon.cli("exec", "cp", "--", "sh", "-c", "mkdir -p /data/x && echo made-in-pod > /data/x/f && ln -s / /data/root")
          .ok();
      daemon.cli("cp", "cp:/data", local.resolve("back").toString()).ok();
      assertEquals("made-in-pod\n", Files.readString(local.resolve("back/x/f")));
      assertTrue(!Files.exists(local.resolve("back/root")), "a symlink from the container is not copied");
      daemon.cli("cp", local.resolve("tree/b.txt").toString(), "cp:/tmp/").ok();
      assertEquals("beta", daemon.cli("exec", "cp", "--", "cat", "/tmp/b.txt").ok().out(),
          "into an existing directory, by the source's name");
      daemon.cli("cp", "cp:/tmp/up/b.txt", local.toString()).ok();
      assertEquals("beta", Files.readString(local.resolve("b.txt")));
      var missing = daemon.cli("cp", "cp:/nope", local.resolve("n").toString());
      assertNotEquals(0, missing.exitCode());
      assertTrue(missing.err().contains("/nope"), missing.err());
    } finally {
      io.peapod.base.io.FileTrees.delete(local);
    }
    daemon.cli("delete", "pod", "cp", "--now").ok();
  }

  @Test
  void run_makesAPodAsKubectlDoes_andExplainListsTheFieldsPeapodReads() throws Exception {
    daemon.cli("run", "runme", "--image=busybox", "--restart=Never", "--env=GREETING=hi", "--labels=app=x",
        "--command", "--", "sh", "-c", "echo $GREETING; exec sleep 3600").ok();
    assertTrue(daemon.eventually(() -> SecurityContextIT.sleeping("runme", "runme")));
    assertEquals("x Never", daemon.cli("get", "pod", "runme", "-o",
        "jsonpath={.metadata.labels.app} {.spec.restartPolicy}").ok().out().trim());
    assertTrue(Files.readString(Path.of("/proc/" + daemon.pid("runme", "runme") + "/environ")).contains("GREETING=hi"));
    var attached = daemon.cliWithInput("echo typed-$((1+1))\n", "run", "other", "--image=busybox", "--restart=Never",
        "-it", "--rm");
    assertEquals(0, attached.exitCode(), "input that is not a terminal ends with Ctrl-D, as typed: " + attached);
    assertTrue(attached.out().contains("typed-2"), attached.out());
    assertTrue(daemon.eventually(() -> daemon.cli("get", "pod", "other").exitCode() != 0), "--rm deleted it");
    String printed = daemon.cli("run", "dry", "--image=busybox", "--dry-run=client", "-o", "yaml").ok().out();
    assertTrue(printed.contains("kind: Pod") && printed.contains("run: dry"), printed);
    assertTrue(!daemon.cli("get", "pods", "-o", "name").ok().out().contains("pod/dry"), "a dry run makes nothing");
    daemon.cli("delete", "pod", "runme", "--now").ok();

    String explained = daemon.cli("explain", "pod.spec.containers").ok().out();
    assertTrue(explained.contains("FIELD:    spec.containers <[]Object>"), explained);
    assertTrue(explained.matches("(?s).*\\n  securityContext\\s+<Object>\\n.*"), explained);
    assertTrue(explained.matches("(?s).*\\n  stdin\\s+<value>\\n.*"), "stdin is acted on now: " + explained);
    assertNotEquals(0, daemon.cli("explain", "pod.spec.nope").exitCode());
  }
}
