package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/// Paths from manifests cannot lead out of their volume: a container that plants a symlink in a shared
/// volume does not get the host's files through another container's subPath, and the daemon does not
/// make directories outside the volume for it. Checked on the kernel's view: mountinfo, the host's
/// file system, and what the containers see.
class VolumeSafetyIT extends SharedDaemon {
  @Test
  void subPathThroughASymlinkAContainerPlanted_isRefused_andNothingOutsideIsMadeOrMounted() throws Exception {
    String outside = "/tmp/peapod-escape-" + UUID.randomUUID();
    daemon.cli("apply", "-f", daemon.writeManifest("escape.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: escape
        spec:
          initContainers:
          - name: a
            image: busybox
            command: ['sh', '-c', 'ln -s / /v/evil && ln -s /tmp /v/tmplink && mkdir -p /v/ok']
            volumeMounts: [{name: v, mountPath: /v}]
          containers:
          - name: b
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: v, mountPath: /hostroot, subPath: evil}]
          - name: c
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: v, mountPath: /x, subPath: 'tmplink/%s'}]
          - name: d
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: v, mountPath: /data, subPath: ok/deeper}]
          - name: e
            image: busybox
            command: ['sleep', '3600']
            env: [{name: WHERE, value: evil}]
            volumeMounts: [{name: v, mountPath: /hostroot, subPathExpr: '$(WHERE)'}]
          volumes:
          - name: v
            emptyDir: {}
        """.formatted(outside.substring(5))).toString()).ok();
    JsonNode b = daemon.awaitWaiting("escape", "b", "CreateContainerConfigError");
    assertTrue(b.get("message").text("").contains("symbolic link"), String.valueOf(b.raw()));
    JsonNode c = daemon.awaitWaiting("escape", "c", "CreateContainerConfigError");
    assertTrue(c.get("message").text("").contains("symbolic link"), String.valueOf(c.raw()));
    JsonNode e = daemon.awaitWaiting("escape", "e", "CreateContainerConfigError");
    assertTrue(e.get("message").text("").contains("symbolic link"), "subPathExpr too: " + e.raw());
    assertFalse(Files.exists(Path.of(outside)), "the daemon made nothing outside the volume");
    assertEquals(0, daemon.pid("escape", "b"));
    assertEquals(0, daemon.pid("escape", "c"));
    assertEquals(0, daemon.pid("escape", "e"));
    assertTrue(daemon.eventually(() -> daemon.pid("escape", "d") > 0), "a subPath inside the volume works");
    for (String m : ProcFs.HOST.mountPoints("self")) {
      assertFalse(m.contains("volume-subpaths"), "no staging mount outlives a container's creation: " + m);
    }
    daemon.cli("exec", "escape", "-c", "d", "--", "sh", "-c", "echo written-through-subpath > /data/f").ok();
    String uid = daemon.pod("escape").get("metadata").get("uid").text("");
    Path onHost = daemon.root.resolve("state/pods/" + uid + "/volumes/v/ok/deeper/f");
    assertEquals("written-through-subpath\n", Files.readString(onHost));
    String mountinfo = Files.readString(Path.of("/proc/" + daemon.pid("escape", "d") + "/mountinfo"));
    assertTrue(mountinfo.contains(" /data "), mountinfo);
    assertFalse(Files.exists(Path.of(outside)));
    daemon.cli("delete", "pod", "escape", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void symlinkSwappedUnderASubPath_whileContainersAreMade_neverYieldsTheHostsRoot() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("swap.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: swap
        spec:
          containers:
          - name: swapper
            image: busybox
            command: ['sh', '-c', 'mkdir -p /v/real; while true; do ln -sfn / /v/s; rm -f /v/s; ln -sfn real /v/s; rm -f /v/s; mkdir /v/s 2>/dev/null; rmdir /v/s; done']
            volumeMounts: [{name: v, mountPath: /v}]
          - name: victim
            image: busybox
            command: ['sh', '-c', 'if [ -e /m/etc/os-release ] || [ -e /m/proc/1 ]; then echo ESCAPED; else echo contained; fi; exit 1']
            volumeMounts: [{name: v, mountPath: /m, subPath: s}]
          volumes:
          - name: v
            emptyDir: {}
        """).toString()).ok();
    StringBuilder seen = new StringBuilder();
    daemon.eventually(Duration.ofSeconds(15), () -> {
      JsonNode v = daemon.container("swap", "victim");
      if (v.get("state").has("running") || v.get("lastState").has("terminated")) {
        seen.append(daemon.cli("logs", "swap", "-c", "victim").out());
        seen.append(daemon.cli("logs", "swap", "-c", "victim", "-p").out());
      }
      return v.get("restartCount").asLong(0) >= 4;
    });
    assertFalse(seen.toString().contains("ESCAPED"), seen.toString());
    daemon.cli("delete", "pod", "swap", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void hostPathSubPath_staysInsideTheHostPath() throws Exception {
    Path host = Files.createDirectories(daemon.root.resolve("hostdir"));
    Files.createSymbolicLink(host.resolve("up"), Path.of("/etc"));
    daemon.cli("apply", "-f", daemon.writeManifest("hp.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: hp
        spec:
          containers:
          - name: bad
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: h, mountPath: /etc-of-host, subPath: up}]
          - name: good
            image: busybox
            command: ['sh', '-c', 'echo from-the-pod > /d/f; sleep 3600']
            volumeMounts: [{name: h, mountPath: /d, subPath: made/by/kubelet}]
          volumes:
          - name: h
            hostPath: {path: %s}
        """.formatted(host)).toString()).ok();
    JsonNode bad = daemon.awaitWaiting("hp", "bad", "CreateContainerConfigError");
    assertTrue(bad.get("message").text("").contains("symbolic link"), String.valueOf(bad.raw()));
    assertTrue(daemon.eventually(() -> Files.exists(host.resolve("made/by/kubelet/f"))));
    assertEquals("from-the-pod\n", Files.readString(host.resolve("made/by/kubelet/f")));
    daemon.cli("delete", "pod", "hp", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }
}
