package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.proc.ProcFs;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Containers outlive the daemon: conmon keeps them running and records exits while it is gone.
@RequiresRoot
class DaemonRestartIT {
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
            shareProcessNamespace: true
            containers:
            - name: hello
              image: busybox
              command: ['sleep', '3600']
            - name: short
              image: busybox
              command: ['sh', '-c', 'sleep 2; exit 4']
          """);
      daemon.cli("apply", "-f", m.toString()).ok();
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
}
