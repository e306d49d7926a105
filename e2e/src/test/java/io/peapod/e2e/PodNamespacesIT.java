package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// The seed's two-container pod, checked against the kernel: which namespaces are shared through the
/// pause container and which each container has to itself.
class PodNamespacesIT extends SharedDaemon {
  private static Map<Namespace, Long> ns(int pid) {
    assertTrue(ProcFs.HOST.isAlive(pid), "process " + pid + " is not running");
    return ProcFs.HOST.namespaces(pid);
  }

  private static String state(int pid) throws Exception {
    Path status = Path.of("/proc/" + pid + "/status");
    return Files.exists(status) ? Files.readAllLines(status).subList(0, 8).toString() : "gone";
  }

  /// The last NSpid field: the pid a process has inside its own pid namespace.
  private static int innerPid(int pid) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (l.startsWith("NSpid:")) {
        String[] f = l.substring(6).trim().split("\\s+");
        return Integer.parseInt(f[f.length - 1]);
      }
    }
    throw new AssertionError("no NSpid for " + pid);
  }

  @Test
  void sharedProcessNamespace_podSharesNetIpcUtsPid_isolatesMntCgroup() throws Exception {
    Path repoExample = Path.of(System.getProperty("peapod.repo", "..")).resolve("examples/two-containers-pod.yaml");
    daemon.cli("apply", "-f", repoExample.toString(), "--wait").ok();
    int pause = daemon.pausePid("two-containers");
    int hello = daemon.pid("two-containers", "hello");
    int hello2 = daemon.pid("two-containers", "hello2");
    Map<Namespace, Long> p = ns(pause);
    Map<Namespace, Long> a = ns(hello);
    Map<Namespace, Long> b = ns(hello2);
    Map<Namespace, Long> host = ns((int) ProcessHandle.current().pid());
    for (Namespace shared : List.of(Namespace.NET, Namespace.IPC, Namespace.UTS, Namespace.PID)) {
      assertEquals(p.get(shared), a.get(shared), shared + " of hello vs pause");
      assertEquals(p.get(shared), b.get(shared), shared + " of hello2 vs pause");
      assertNotEquals(host.get(shared), p.get(shared), shared + " must not be the host's");
    }
    for (Namespace own : List.of(Namespace.MNT, Namespace.CGROUP)) {
      assertNotEquals(a.get(own), b.get(own), own + " must differ between containers");
      assertNotEquals(p.get(own), a.get(own), own + " must differ from pause");
      assertNotEquals(host.get(own), a.get(own), own + " must not be the host's");
    }
    assertEquals(1, innerPid(pause), "pause is PID 1 of the shared pid namespace");
    assertNotEquals(1, innerPid(hello));

    String ps = daemon.cli("exec", "two-containers", "-c", "hello", "--", "ps", "-o", "pid,args").ok().out();
    assertTrue(ps.lines().filter(l -> l.contains("sleep 3600")).count() >= 2, "hello sees both sleeps:\n" + ps);
    assertTrue(ps.contains("catatonit"), ps);
    assertEquals("two-containers", daemon.cli("exec", "two-containers", "-c", "hello2", "--", "hostname").ok().out().trim());
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "two-containers").ok().out().contains("first container")),
        "logs of hello");
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "two-containers", "-c", "hello2").ok().out()
        .contains("second container")), "logs of hello2");

    String table = daemon.cli("ns", "two-containers").ok().out();
    assertTrue(table.contains("pause (shared)") && table.contains("hello (own)"), table);
    daemon.cli("delete", "pod", "two-containers", "--now").ok();
    for (int pid : List.of(pause, hello, hello2)) {
      assertTrue(!ProcFs.HOST.isAlive(pid), "process " + pid + " still there after delete: " + state(pid));
    }
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void privateProcessNamespace_eachEntrypointIsPid1() throws Exception {
    Path m = daemon.writeManifest("private.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: private-pid
        spec:
          containers:
          - name: one
            image: busybox
            command: ['sleep', '3600']
          - name: two
            image: busybox
            command: ['sleep', '3600']
        """);
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    int pause = daemon.pausePid("private-pid");
    int one = daemon.pid("private-pid", "one");
    int two = daemon.pid("private-pid", "two");
    assertNotEquals(ns(one).get(Namespace.PID), ns(two).get(Namespace.PID));
    assertNotEquals(ns(pause).get(Namespace.PID), ns(one).get(Namespace.PID));
    assertEquals(ns(pause).get(Namespace.NET), ns(two).get(Namespace.NET));
    assertEquals(1, innerPid(one));
    assertEquals(1, innerPid(two));
    String ps = daemon.cli("exec", "private-pid", "-c", "one", "--", "ps").ok().out();
    assertEquals(1, ps.lines().filter(l -> l.contains("sleep 3600")).count(), ps);
    daemon.cli("delete", "pod", "private-pid", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void execOnTerminal_commandSeesATty_andItsExitCodeComesBack() throws Exception {
    Path m = daemon.writeManifest("tty.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: tty
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """);
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    String tty = daemon.cli("exec", "-t", "tty", "--", "tty").ok().out();
    assertTrue(tty.startsWith("/dev/pts/"), "exec -t gives a terminal: " + tty);
    assertEquals("not a tty", daemon.cli("exec", "tty", "--", "tty").out().trim(), "exec without -t gives none");
    CliResult shell = daemon.cliWithInput("echo typed-$((6*7))\nexit 7\n", "exec", "-it", "tty", "--", "sh");
    assertEquals(7, shell.exitCode(), shell.out() + shell.err());
    assertTrue(shell.out().contains("typed-42"), shell.out());
    daemon.cli("delete", "pod", "tty", "--now").ok();
  }

  @Test
  void logsFollow_endsWhenTheContainerExits() throws Exception {
    Path m = daemon.writeManifest("follow.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: follow
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'echo one; sleep 1; echo two']
        """);
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    String out = daemon.cli("logs", "-f", "follow").ok().out();
    assertEquals("one\ntwo\n", out);
    daemon.cli("delete", "pod", "follow").ok();
  }

  @Test
  void delete_containerIgnoringSigterm_isKilledAfterTheGracePeriod() throws Exception {
    Path m = daemon.writeManifest("stubborn.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: stubborn
        spec:
          terminationGracePeriodSeconds: 1
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'trap "echo ignoring TERM" TERM; while true; do sleep 0.2; done']
        """);
    daemon.cli("apply", "-f", m.toString(), "--wait").ok();
    int pid = daemon.pid("stubborn", "c");
    daemon.cli("delete", "pod", "stubborn").ok();
    assertTrue(!ProcFs.HOST.isAlive(pid), "killed after the grace period");
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void containerExit_isRecordedWithCodeAndReason() throws Exception {
    Path m = daemon.writeManifest("exits.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: exits
        spec:
          restartPolicy: Never
          containers:
          - name: ok
            image: busybox
            command: ['true']
          - name: fails
            image: busybox
            command: ['sh', '-c', 'echo bye; exit 3']
        """);
    daemon.cli("apply", "-f", m.toString()).ok();
    String phase = "";
    for (int i = 0; i < 200 && !phase.equals("Failed"); i++) {
      Thread.sleep(50);
      phase = daemon.pod("exits").get("status").get("phase").text("");
    }
    assertEquals("Failed", phase, "restartPolicy Never with one failed container");
    assertEquals("Error", daemon.pod("exits").get("status").get("display").text(""));
    var containers = daemon.pod("exits").get("status").get("containerStatuses").list();
    var byName = containers.stream().collect(java.util.stream.Collectors.toMap(c -> c.get("name").text(""), c -> c));
    assertEquals(0, byName.get("ok").get("state").get("terminated").get("exitCode").asLong(-1));
    assertEquals("Completed", byName.get("ok").get("state").get("terminated").get("reason").text(""));
    for (var c : containers) {
      var t = c.get("state").get("terminated");
      java.time.Instant started = java.time.Instant.parse(t.get("startedAt").text(""));
      java.time.Instant finished = java.time.Instant.parse(t.get("finishedAt").text(""));
      assertTrue(!finished.isBefore(started), "a container that exits at once finishes after it started: " + t.raw());
    }
    assertEquals(3, byName.get("fails").get("state").get("terminated").get("exitCode").asLong(-1));
    assertEquals("Error", byName.get("fails").get("state").get("terminated").get("reason").text(""));
    assertTrue(daemon.cli("logs", "exits", "-c", "fails").ok().out().contains("bye"), "log of an exited container");
    daemon.cli("delete", "pod", "exits").ok();
  }
}
