package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Pod cgroups as kubelet lays them out, read from the kernel: the cgroup a pod's processes are in
/// (/proc/PID/cgroup) and that cgroup's limit files; QoS in `describe`; `top pod`; eviction of a pod
/// whose emptyDir outgrows its sizeLimit.
class PodResourcesIT extends SharedDaemon {
  /// The cgroup path of a process in one v1 controller, from /proc/PID/cgroup.
  static String cgroupOf(int pid, String controller) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
      String[] f = line.split(":", 3);
      if (List.of(f[1].split(",")).contains(controller)) {
        return f[2];
      }
    }
    throw new AssertionError("no " + controller + " cgroup for " + pid);
  }

  static long read(String controller, String cgroup, String file) throws Exception {
    return Long.parseLong(Files.readString(Path.of("/sys/fs/cgroup", controller, cgroup, file)).trim());
  }

  static String parent(String cgroup) {
    return cgroup.substring(0, cgroup.lastIndexOf('/'));
  }

  @Test
  void guaranteedPod_podCgroupHoldsTheSumsOfItsContainersLimits() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("g.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: g}
        spec:
          containers:
          - name: a
            image: busybox
            command: ['sleep', '3600']
            resources: {limits: {cpu: 250m, memory: 64Mi}}
          - name: b
            image: busybox
            command: ['sleep', '3600']
            resources: {limits: {cpu: 250m, memory: 64Mi}, requests: {cpu: 250m, memory: 64Mi}}
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("g", "a") > 0 && daemon.pid("g", "b") > 0));
    String container = cgroupOf(daemon.pid("g", "a"), "memory");
    String pod = parent(container);
    assertTrue(pod.matches(".*/kubepods/pod[0-9a-f]{64}"), "a Guaranteed pod is right below kubepods: " + pod);
    assertEquals(pod, parent(cgroupOf(daemon.pausePid("g"), "memory")), "the pause process is in the pod cgroup");
    assertEquals(128L << 20, read("memory", pod, "memory.limit_in_bytes"));
    assertEquals(64L << 20, read("memory", container, "memory.limit_in_bytes"));
    String cpuPod = parent(cgroupOf(daemon.pid("g", "a"), "cpu"));
    assertEquals(50_000, read("cpu", cpuPod, "cpu.cfs_quota_us"));
    assertEquals(100_000, read("cpu", cpuPod, "cpu.cfs_period_us"));
    assertEquals(512, read("cpu", cpuPod, "cpu.shares"));
    assertTrue(daemon.cli("describe", "pod", "g").ok().out().matches("(?s).*QoS Class:\\s+Guaranteed.*"));
    String top = daemon.cli("top", "pod", "g").ok().out();
    assertTrue(top.startsWith("NAME") && top.contains("CPU(cores)") && top.lines().skip(1).findFirst().orElse("")
        .matches("g\\s+\\d+m\\s+\\d+Mi"), top);
    daemon.cli("delete", "pod", "g", "--now").ok();
  }

  @Test
  void burstableAndBestEffortPods_goBelowTheirQosCgroups() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("qos.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: burst}
        spec:
          containers:
          - name: a
            image: busybox
            command: ['sleep', '3600']
            resources: {requests: {cpu: 100m, memory: 16Mi}}
          - {name: b, image: busybox, command: ['sleep', '3600']}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: besteffort}
        spec:
          containers: [{name: a, image: busybox, command: ['sleep', '3600']}]
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("burst", "a") > 0 && daemon.pid("besteffort", "a") > 0));
    String burst = parent(cgroupOf(daemon.pid("burst", "a"), "cpu"));
    assertTrue(burst.matches(".*/kubepods/burstable/pod[0-9a-f]{64}"), burst);
    assertEquals(102, read("cpu", burst, "cpu.shares"), "shares from the pod's cpu requests");
    assertTrue(read("memory", parent(cgroupOf(daemon.pid("burst", "a"), "memory")), "memory.limit_in_bytes")
        > 1L << 60, "no memory limit: not every container has one");
    String best = parent(cgroupOf(daemon.pid("besteffort", "a"), "cpu"));
    assertTrue(best.matches(".*/kubepods/besteffort/pod[0-9a-f]{64}"), best);
    assertEquals(2, read("cpu", best, "cpu.shares"));
    assertTrue(daemon.cli("describe", "pod", "burst").ok().out().matches("(?s).*QoS Class:\\s+Burstable.*"));
    daemon.cli("delete", "pod", "burst", "besteffort", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void aPodWritingPastItsEmptyDirSizeLimit_isEvicted() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("evict.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: evict}
        spec:
          containers:
          - name: a
            image: busybox
            command: ['sh', '-c', 'head -c 3145728 /dev/zero > /scratch/big; sleep 3600']
            volumeMounts: [{name: scratch, mountPath: /scratch}]
          volumes: [{name: scratch, emptyDir: {sizeLimit: 1Mi}}]
        """).toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(40),
        () -> daemon.pod("evict").get("status").get("phase").text("").equals("Failed")));
    JsonNode status = daemon.pod("evict").get("status");
    assertEquals("Evicted", status.get("reason").text(""), status.raw().toString());
    assertTrue(status.get("message").text("").contains("scratch"), status.raw().toString());
    assertTrue(daemon.eventually(() -> daemon.pid("evict", "a") == 0), "its containers are stopped");
    String described = daemon.cli("describe", "pod", "evict").ok().out();
    assertTrue(described.matches("(?s).*Reason:\\s+Evicted.*") && described.contains("Warning   Evicted"), described);
    daemon.cli("delete", "pod", "evict", "--now").ok();
  }
}
