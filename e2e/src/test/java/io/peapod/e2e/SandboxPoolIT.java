package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// The sandbox pool (`--sandbox-pool=2`), checked against the kernel: a pod adopts a pause process that
/// ran before it was applied and gets its own hostname and pod cgroup limits in it; a pod of another QoS
/// class turns the pool to that class; the pool shows in no listing; a daemon killed with its pool has it
/// removed at the next start, and a stopped one leaves nothing.
@RequiresRoot
class SandboxPoolIT {
  private static final String BEST_EFFORT = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: %s
      spec:
        containers:
        - {name: a, image: busybox, command: ['sleep', '3600']}
        - {name: b, image: busybox, command: ['sleep', '3600']}
      """;
  private static final String BURSTABLE = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: %s
      spec:
        containers:
        - name: a
          image: busybox
          command: ['sleep', '3600']
          resources: {requests: {memory: 16Mi}, limits: {memory: 64Mi}}
      """;

  @Test
  void podsAdoptPooledSandboxes_andThePoolLeavesNothing() throws Exception {
    try (TestDaemon daemon = TestDaemon.startWithFlags("--sandbox-pool=2")) {
      daemon.importBusybox();
      assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pauses(daemon, "besteffort").size() == 2),
          "two pooled pause processes: " + pauses(daemon, ""));
      Set<Integer> pooled = pauses(daemon, "besteffort");
      assertTrue(daemon.cli("get", "pods", "-A").ok().err().contains("No resources found"),
          "the pool is no pod");

      daemon.cli("apply", "-f", daemon.writeManifest("web.yaml", BEST_EFFORT.formatted("web")).toString(), "--wait")
          .ok();
      int pause = daemon.pausePid("web");
      assertTrue(pooled.contains(pause), "web's pause " + pause + " ran before web was applied: " + pooled);
      assertEquals("web", daemon.cli("exec", "web", "-c", "a", "--", "hostname").ok().out().trim());
      assertEquals("web", daemon.cli("exec", "web", "-c", "b", "--", "cat", "/etc/hostname").ok().out().trim());
      Map<Namespace, Long> p = ProcFs.HOST.namespaces(pause);
      for (String c : List.of("a", "b")) {
        Map<Namespace, Long> n = ProcFs.HOST.namespaces(daemon.pid("web", c));
        for (Namespace shared : List.of(Namespace.NET, Namespace.IPC, Namespace.UTS)) {
          assertEquals(p.get(shared), n.get(shared), shared + " of " + c + " vs pause");
        }
      }
      assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pauses(daemon, "besteffort").size() == 3),
          "the pool made another sandbox: " + pauses(daemon, ""));
      assertEquals(List.of("web"), podNames(daemon));

      // A Burstable pod turns the pool to its class; the next such pod adopts, with its pod limit.
      daemon.cli("apply", "-f", daemon.writeManifest("b1.yaml", BURSTABLE.formatted("b1")).toString(), "--wait").ok();
      assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> pauses(daemon, "burstable").size() == 3),
          "b1 and two pooled Burstable sandboxes: " + pauses(daemon, ""));
      Set<Integer> pooledBurstable = pauses(daemon, "burstable");
      daemon.cli("apply", "-f", daemon.writeManifest("b2.yaml", BURSTABLE.formatted("b2")).toString(), "--wait").ok();
      int b2 = daemon.pausePid("b2");
      assertTrue(pooledBurstable.contains(b2), "b2's pause " + b2 + " came from the pool: " + pooledBurstable);
      assertEquals(64L << 20, Long.parseLong(Files.readString(podCgroup(b2).resolve("memory.limit_in_bytes")).trim()),
          "b2's pod cgroup has the pod's memory limit");
      assertEquals("b2", daemon.cli("exec", "b2", "--", "hostname").ok().out().trim());

      // Killed with its pool: the next start removes that pool and makes a new one; the pods live on.
      Set<Integer> before = pauses(daemon, "");
      Set<Integer> pods = Set.of(pause, daemon.pausePid("b1"), b2);
      daemon.kill9();
      daemon.startProcess();
      assertTrue(daemon.eventually(Duration.ofSeconds(30), () -> {
        Set<Integer> now = pauses(daemon, "");
        return now.containsAll(pods) && now.size() == pods.size() + 2
            && before.stream().filter(x -> !pods.contains(x)).noneMatch(ProcFs.HOST::isAlive);
      }), "old pool gone, new pool made, pods kept: before " + before + ", now " + pauses(daemon, ""));
      assertEquals(List.of("b1", "b2", "web"), podNames(daemon));
      for (int pid : pods) {
        assertTrue(ProcFs.HOST.isAlive(pid), "pause " + pid + " outlived the daemon's restart");
      }
    }
  }

  private static List<String> podNames(TestDaemon daemon) {
    return daemon.cli("get", "pods", "--no-headers").ok().out().lines().map(l -> l.split("\\s+")[0]).sorted()
        .toList();
  }

  /// The daemon's pause processes (catatonit) whose cgroup path contains `qos`, read from /proc.
  private static Set<Integer> pauses(TestDaemon daemon, String qos) {
    Set<Integer> pids = new TreeSet<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          if (Files.readString(p.resolve("comm")).trim().equals("catatonit")) {
            String cgroup = Files.readString(p.resolve("cgroup"));
            if (cgroup.contains("/" + daemon.cgroupParent + "/") && cgroup.contains(qos)) {
              pids.add(Integer.parseInt(p.getFileName().toString()));
            }
          }
        } catch (IOException gone) {
          // The process ended while being read.
        }
      }
    } catch (IOException e) {
      throw new AssertionError("list /proc", e);
    }
    return pids;
  }

  /// The pod cgroup (memory hierarchy) of a pause process: the parent of its own cgroup.
  private static Path podCgroup(int pause) throws IOException {
    for (String l : Files.readAllLines(Path.of("/proc/" + pause + "/cgroup"))) {
      String[] f = l.split(":", 3);
      if (List.of(f[1].split(",")).contains("memory")) {
        Path own = Path.of("/sys/fs/cgroup/memory" + f[2]);
        assertFalse(f[2].isEmpty());
        return own.getParent();
      }
    }
    throw new AssertionError("no memory cgroup for " + pause);
  }
}
