package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// Attaching to containers' own streams (`attach`, `run -i --rm`), ephemeral containers (`debug`), and the
/// seeds' `--net=container:` recipe, checked on the kernel's namespace inodes; and killed clients of
/// attach and port-forward leave no thread or socket behind in the daemon.
class AttachDebugIT extends SharedDaemon {
  private static final String IO_POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: io}
      spec:
        containers:
        - name: echo
          image: busybox
          stdin: true
          stdinOnce: true
          command: ['sh', '-c', 'while read l; do echo got:$l; echo err:$l >&2; done; echo bye; exit 4']
        - name: term
          image: busybox
          stdin: true
          tty: true
          command: ['sh']
        - name: quiet
          image: busybox
          command: ['sleep', '3600']
      """;

  @Test
  void attach_relaysOutputAndInput_andAContainerWithoutStdinRefusesInput() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("io.yaml", IO_POD).toString(), "--wait").ok();
    CliResult echo = daemon.cliWithInput("a\nb\n", "attach", "io", "-c", "echo", "-i");
    assertEquals(4, echo.exitCode(), "the container's exit code, after stdinOnce closed its input: " + echo);
    assertTrue(echo.out().contains("got:a\ngot:b\nbye"), echo.out());
    assertTrue(echo.err().contains("err:a") && echo.err().contains("err:b"), "stderr stays apart: " + echo.err());

    CliResult term = daemon.cliWithInput("echo hi-$((40+2))\nexit 5\n", "attach", "io", "-c", "term", "-it");
    assertEquals(5, term.exitCode(), term.toString());
    assertTrue(term.out().contains("hi-42"), "the shell ran on its terminal: " + term.out());

    CliResult refused = daemon.cliWithInput("x\n", "attach", "io", "-c", "quiet", "-i");
    assertNotEquals(0, refused.exitCode());
    assertTrue(refused.err().contains("was not made with stdin: true"), refused.err());
    daemon.cli("delete", "pod", "io", "--now").ok();
  }

  @Test
  void runRmInteractive_givesTheExitCode_andDeletesThePod() throws Exception {
    CliResult r = daemon.cliWithInput("abc\n", "run", "once", "--rm", "-i", "--image=busybox", "--restart=Never",
        "--", "sh", "-c", "read x; echo got $x; exit 3");
    assertEquals(3, r.exitCode(), r.toString());
    assertTrue(r.out().contains("got abc"), r.out());
    assertTrue(r.out().contains("pod \"once\" deleted"), r.out());
    assertTrue(daemon.eventually(() -> daemon.cli("get", "pod", "once").exitCode() != 0), "the pod is gone");
  }

  @Test
  void debug_addsAnEphemeralContainer_inTheTargetsProcessNamespace() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("dbg.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: dbg}
        spec:
          containers:
          - {name: main, image: busybox, command: ['sleep', '7777']}
          - {name: side, image: busybox, command: ['sleep', '8888']}
        """).toString(), "--wait").ok();
    CliResult ps = daemon.cliWithInput("", "debug", "dbg", "--image=busybox", "--target=main", "-c", "ps1", "-i",
        "--", "ps");
    assertEquals(0, ps.exitCode(), ps.toString());
    assertTrue(ps.out().contains("sleep 7777") && !ps.out().contains("sleep 8888"), "ps sees the target's processes"
        + " only: " + ps.out());

    CliResult added = daemon.cli("debug", "dbg", "--image=busybox", "--target=main", "--", "sleep", "3600");
    assertEquals(0, added.exitCode(), added.toString());
    String name = added.err().replaceAll("(?s).*Defaulting debug container name to (debugger-[a-z0-9]{5})\\..*", "$1");
    assertTrue(name.startsWith("debugger-"), added.err());
    assertTrue(daemon.eventually(() -> daemon.pid("dbg", name) > 0));
    int debugger = daemon.pid("dbg", name);
    int main = daemon.pid("dbg", "main");
    int pause = (int) daemon.pod("dbg").get("status").get("pausePid").asLong(0);
    assertEquals(inode(main, "pid"), inode(debugger, "pid"), "the target's process namespace");
    assertEquals(inode(pause, "net"), inode(debugger, "net"), "the pod's network namespace");
    assertEquals(inode(pause, "ipc"), inode(debugger, "ipc"));
    assertNotEquals(inode(main, "mnt"), inode(debugger, "mnt"), "its own root");

    JsonNode pod = daemon.pod("dbg");
    List<String> ephemeral = pod.get("spec").get("ephemeralContainers").list().stream()
        .map(c -> c.get("name").text("")).toList();
    assertEquals(List.of("ps1", name), ephemeral);
    assertEquals("main", pod.get("spec").get("ephemeralContainers").list().get(1).get("targetContainerName").text(""));
    assertEquals(2, pod.get("status").get("ephemeralContainerStatuses").list().size());
    assertEquals("2/2", daemon.cli("get", "pod", "dbg", "--no-headers").ok().out().split("\\s+")[1],
        "ephemeral containers count in neither READY nor restarts");
    assertTrue(daemon.cli("apply", "-f", daemon.root.resolve("dbg.yaml").toString()).ok().out().contains("unchanged"),
        "apply keeps the ephemeral containers it does not name");
    assertTrue(daemon.cli("debug", "dbg", "--image=busybox", "-c", "ps1").err().contains("used twice"));
    daemon.cli("delete", "pod", "dbg", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void netContainerRecipe_joinsARunningPodsNamespaces_asNsShows() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("seed.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: seed}
        spec:
          containers:
          - {name: hello, image: busybox, command: ['sleep', '3600']}
        """).toString(), "--wait").ok();
    CliResult r = daemon.cli("run", "--name", "web", "--image=busybox", "--net=container:seed", "--ipc=container:seed",
        "--pid=container:seed/hello", "--", "sleep", "3600");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("container/web added to pod/seed"), r.out());
    assertTrue(daemon.eventually(() -> daemon.pid("seed", "web") > 0));
    int web = daemon.pid("seed", "web");
    int hello = daemon.pid("seed", "hello");
    int pause = (int) daemon.pod("seed").get("status").get("pausePid").asLong(0);
    for (String ns : List.of("net", "ipc", "uts")) {
      assertEquals(inode(pause, ns), inode(web, ns), ns + " is the pause container's");
    }
    assertEquals(inode(hello, "pid"), inode(web, "pid"));
    String table = daemon.cli("ns", "seed").ok().out();
    long webPid = inode(web, "pid");
    assertTrue(table.lines().anyMatch(l -> l.matches("web\\s+\\d+\\s+pid\\s+" + webPid + "\\s+hello \\(shared\\)")),
        table);
    assertTrue(table.lines().anyMatch(l -> l.matches("web\\s+\\d+\\s+net\\s+\\d+\\s+pause \\(shared\\)")), table);
    CliResult other = daemon.cli("run", "--name", "w2", "--image=busybox", "--net=container:seed",
        "--ipc=container:elsewhere", "--", "true");
    assertTrue(other.err().contains("names another pod"), other.err());
    CliResult ownPid = daemon.cli("run", "--name", "w3", "--image=busybox", "--net=container:seed",
        "--pid=container:seed", "--", "true");
    assertTrue(ownPid.err().contains("shareProcessNamespace is false"), ownPid.err());
    daemon.cli("delete", "pod", "seed", "--now").ok();
  }

  @Test
  void killedAttachAndPortForwardClients_leaveNoThreadOrSocketInTheDaemon() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("held.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: held}
        spec:
          containers:
          - name: web
            image: busybox
            stdin: true
            command: ['sh', '-c', 'mkdir -p /www && echo hi > /www/index.html && httpd -p 127.0.0.1:8080 -h /www && cat']
        """).toString(), "--wait").ok();
    long baseline = sockets();
    assertEquals(List.of(), streamThreads());
    Process attach = cli("attach", "held", "-i");
    Process forward = cli("port-forward", "pod/held", ":8080");
    String first = new java.io.BufferedReader(new java.io.InputStreamReader(forward.getInputStream())).readLine();
    int port = Integer.parseInt(first.replaceAll(".*:(\\d+) -> .*", "$1"));
    try (var s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes());
      assertTrue(new String(s.getInputStream().readAllBytes()).contains("hi"));
    }
    var open = new java.net.Socket("127.0.0.1", port);
    assertTrue(daemon.eventually(() -> streamThreads().containsAll(List.of("stream-in", "stream-out",
        "stream-forward"))), "both sessions run: " + streamThreads());
    attach.destroyForcibly().waitFor();
    forward.destroyForcibly().waitFor();
    open.close();
    // At most as many as before: a connection of an earlier test may also have closed meanwhile.
    assertTrue(daemon.eventually(() -> streamThreads().isEmpty() && sockets() <= baseline),
        "left: threads " + streamThreads() + ", sockets " + sockets() + " (before: " + baseline + ")");
    assertTrue(daemon.pid("held", "web") > 0, "the container runs on");
    daemon.cli("delete", "pod", "held", "--now").ok();
  }

  private static Process cli(String... args) throws IOException {
    List<String> cmd = new java.util.ArrayList<>(List.of(TestDaemon.LAUNCHER.toString(), "--socket=" + daemon.socket));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
  }

  private static long sockets() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + daemon.daemonPid() + "/fd"))) {
      return fds.filter(fd -> {
        try {
          return Files.readSymbolicLink(fd).toString().startsWith("socket:");
        } catch (IOException gone) {
          return false;
        }
      }).count();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /// The daemon's platform threads that serve exec, attach and port-forward sessions.
  private static List<String> streamThreads() {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + daemon.daemonPid() + "/task"))) {
      return tasks.map(t -> {
        try {
          return Files.readString(t.resolve("comm")).trim();
        } catch (IOException gone) {
          return "";
        }
      }).filter(n -> n.startsWith("stream-")).sorted().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long inode(int pid, String ns) throws IOException {
    return (Long) Files.getAttribute(Path.of("/proc/" + pid + "/ns/" + ns), "unix:ino");
  }
}
