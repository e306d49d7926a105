package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.state.Database;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Containers outlive the daemon: conmon keeps them running and records exits while it is gone.
@RequiresRoot
class DaemonRestartIT {
  private static List<String> leftoversOf(TestDaemon d) {
    try {
      return d.leftovers();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void sigkilledDaemon_leavesContainersRunning_andNewDaemonFindsPodAndExits() throws Exception {
    try (TestDaemon daemon = TestDaemon.start()) {
      daemon.importBusybox();
      Path m = daemon.writeManifest("pods.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: survivor
          spec:
            restartPolicy: Never
            shareProcessNamespace: true
            containers:
            - name: hello
              image: busybox
              command: ['sleep', '3600']
            - name: short
              image: busybox
              command: ['sh', '-c', 'sleep 2; exit 4']
          """);
      daemon.cli("apply", "-f", m.toString(), "--wait").ok();
      int hello = daemon.pid("survivor", "hello");
      int pause = daemon.pausePid("survivor");

      daemon.kill9();
      Thread.sleep(2500);
      assertTrue(ProcFs.HOST.isAlive(hello), "container process survives the daemon");
      assertTrue(ProcFs.HOST.isAlive(pause), "pause survives the daemon");

      daemon.startProcess();
      String table = daemon.cli("get", "pods").ok().out();
      assertTrue(table.contains("survivor"), table);
      assertEquals(hello, daemon.pid("survivor", "hello"));
      var statuses = daemon.pod("survivor").get("status").get("containerStatuses").list();
      var shortOne = statuses.stream().filter(c -> c.get("name").text("").equals("short")).findFirst().orElseThrow();
      assertEquals(4, shortOne.get("state").get("terminated").get("exitCode").asLong(-1),
          "the exit that happened while the daemon was down is recorded: " + shortOne.raw());
      assertTrue(daemon.cli("exec", "survivor", "--", "true").exitCode() == 0, "exec works after restart");
      daemon.cli("delete", "pod", "survivor", "--now").ok();
      assertEquals(List.of(), daemon.leftovers());
    }
  }

  /// A daemon killed while the pod monitor ran a container (its create and start in one `runc run`): the
  /// row is still marked creating, but the process runs and may have done its work. The next daemon keeps
  /// that very process; undoing the create would kill it, and the kubelet would run it a second time.
  @Test
  void aContainerRunningWhenItsRunWasCutShort_isKept_notRunTwice() throws Exception {
    try (TestDaemon daemon = TestDaemon.start()) {
      daemon.importBusybox();
      daemon.cli("apply", "-f", daemon.writeManifest("once.yaml", """
          apiVersion: v1
          kind: Pod
          metadata: {name: once}
          spec:
            restartPolicy: Never
            terminationGracePeriodSeconds: 1
            containers:
            - {name: c, image: busybox, command: ['sleep', '3600']}
          """).toString(), "--wait").ok();
      int pid = daemon.pid("once", "c");
      daemon.kill9();
      try (Database db = Database.open(daemon.root.resolve("state/peapod.db"))) {
        // As the row stands while `runc run` works: marked creating, not yet started, no pid.
        assertEquals(1, db.update("UPDATE containers SET creating = 1, state = 'CREATED', pid = 0, started = NULL"
            + " WHERE name = 'c'"));
      }
      daemon.startProcess();
      assertTrue(daemon.eventually(() -> daemon.pid("once", "c") == pid), () -> daemon.pod("once").raw().toString());
      assertTrue(ProcFs.HOST.isAlive(pid), "the process that ran before the restart runs on");
      assertEquals(0, daemon.container("once", "c").get("restartCount").asLong(-1));
      daemon.cli("delete", "pod", "once", "--now").ok();
      assertEquals(List.of(), daemon.leftovers());
    }
  }

  /// What a daemon killed between RunPodSandbox and recording the pod leaves: a sandbox no pod owns,
  /// with its netns pin, CNI address, veth and pause container. The next daemon removes all of it.
  @Test
  void sandboxLeftByACrashMidCreate_isRemovedByTheNextDaemon() throws Exception {
    try (TestDaemon daemon = TestDaemon.start()) {
      daemon.importBusybox();
      Path m = daemon.writeManifest("half.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: half
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sleep', '3600']
              ports: [{containerPort: 80, hostPort: 28081}]
          """);
      daemon.cli("apply", "-f", m.toString(), "--wait").ok();
      int pause = daemon.pausePid("half");
      daemon.kill9();
      try (Database db = Database.open(daemon.root.resolve("state/peapod.db"))) {
        assertEquals(1, db.update("DELETE FROM pods WHERE name = 'half'"));
      }
      assertTrue(!daemon.leftovers().isEmpty(), "the half-made pod holds kernel state before the restart");
      daemon.startProcess();
      assertEquals("", daemon.cli("get", "pods").ok().out());
      assertTrue(daemon.eventually(() -> !ProcFs.HOST.isAlive(pause)), "pause container stopped");
      assertTrue(daemon.eventually(() -> leftoversOf(daemon).isEmpty()), () -> leftoversOf(daemon).toString());
      assertEquals(List.of(), daemon.leftovers());
    }
  }
}
