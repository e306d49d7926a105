package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// Pod and container security contexts, checked where the kernel keeps them: /proc/PID/status (Uid, Gid,
/// Groups, Cap*, Seccomp, NoNewPrivs), the container's /dev and mountinfo, and its sysctls.
class SecurityContextIT extends SharedDaemon {
  static String status(int pid, String field) throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith(field + ":")) {
        return line.substring(field.length() + 1).trim();
      }
    }
    throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
  }

  /// Whether the container's process runs its command (`sleep`): before that it is the OCI runtime's init,
  /// which has not yet taken the user, groups and seccomp profile it is to run with.
  static boolean sleeping(String pod, String container) {
    int pid = daemon.pid(pod, container);
    try {
      return pid > 0 && Files.readString(Path.of("/proc/" + pid + "/cmdline")).startsWith("sleep");
    } catch (java.io.IOException gone) {
      return false;
    }
  }

  @Test
  void podLevelUserAndSeccomp_containerOverrides_noEscalationSetsNoNewPrivs() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("sec.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: sec}
        spec:
          securityContext:
            runAsUser: 1000
            runAsGroup: 3000
            supplementalGroups: [4000]
            fsGroup: 2000
            seccompProfile: {type: RuntimeDefault}
          containers:
          - name: a
            image: busybox
            command: ['sleep', '3600']
            securityContext: {allowPrivilegeEscalation: false}
            volumeMounts: [{name: data, mountPath: /data}]
          - name: b
            image: busybox
            command: ['sleep', '3600']
            securityContext: {runAsUser: 2000, seccompProfile: {type: Unconfined}}
          volumes: [{name: data, emptyDir: {}}]
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> sleeping("sec", "a") && sleeping("sec", "b")));
    int a = daemon.pid("sec", "a");
    int b = daemon.pid("sec", "b");
    assertEquals("2", status(a, "Seccomp"), "RuntimeDefault from the pod's securityContext");
    assertEquals("1", status(a, "NoNewPrivs"), "allowPrivilegeEscalation: false");
    assertTrue(status(a, "Uid").matches("1000\\s+1000\\s+1000\\s+1000"), status(a, "Uid"));
    assertTrue(status(a, "Gid").startsWith("3000"), status(a, "Gid"));
    assertEquals(Set.of("2000", "4000"), Set.of(status(a, "Groups").split("\\s+")), "fsGroup and supplementalGroups");
    assertEquals("0", status(b, "Seccomp"), "the container's Unconfined wins over the pod's RuntimeDefault");
    assertEquals("0", status(b, "NoNewPrivs"));
    assertTrue(status(b, "Uid").startsWith("2000"), status(b, "Uid"));
    // A user namespace needs no capability, so only the profile stands between these containers and one.
    daemon.cli("exec", "sec", "-c", "b", "--", "unshare", "-U", "true").ok();
    var unshare = daemon.cli("exec", "sec", "-c", "a", "--", "unshare", "-U", "true");
    assertNotEquals(0, unshare.exitCode(), "RuntimeDefault denies namespaces without CAP_SYS_ADMIN");
    daemon.cli("exec", "sec", "-c", "a", "--", "sh", "-c", "echo hi > /data/f").ok();
    String uid = daemon.pod("sec").get("metadata").get("uid").text("");
    Path volume = daemon.stateRoot.resolve("pods/" + uid + "/volumes/data");
    assertEquals(2000, Files.getAttribute(volume, "unix:gid"), "fsGroup owns the emptyDir");
    assertEquals(02000, (Integer) Files.getAttribute(volume, "unix:mode") & 02000, "with the setgid bit");
    assertEquals(2000, Files.getAttribute(volume.resolve("f"), "unix:gid"), "so new files are the group's too");
    daemon.cli("delete", "pod", "sec", "--now").ok();
  }

  @Test
  void runAsNonRoot_refusesARootImage_andRunsWithANonRootUser() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("nonroot.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: nonroot}
        spec:
          securityContext: {runAsNonRoot: true}
          containers:
          - {name: root, image: busybox, command: ['sleep', '3600']}
          - name: user
            image: busybox
            command: ['sleep', '3600']
            securityContext: {runAsUser: 1000}
        """).toString()).ok();
    var w = daemon.awaitWaiting("nonroot", "root", "CreateContainerConfigError");
    assertTrue(w.get("message").text("").contains("runAsNonRoot and image will run as root"), w.raw().toString());
    assertTrue(daemon.eventually(() -> daemon.pid("nonroot", "user") > 0));
    assertEquals(0, daemon.pid("nonroot", "root"));
    assertTrue(daemon.events("nonroot").contains("runAsNonRoot"));
    var missing = daemon.cli("exec", "nonroot", "-c", "user", "--", "nosuchbinary");
    assertEquals(127, missing.exitCode(), "a command that is not there exits as a shell says: " + missing);
    assertTrue(missing.err().contains("executable file not found") && !missing.err().contains("level=error"),
        missing.err());
    var notExecutable = daemon.cli("exec", "nonroot", "-c", "user", "--", "/etc/passwd");
    assertEquals(126, notExecutable.exitCode(), notExecutable.toString());
    daemon.cli("delete", "pod", "nonroot", "--now").ok();
  }

  @Test
  void privileged_getsEveryCapabilityTheHostHas_itsDevices_andAWritableSys() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("priv.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: priv}
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
            securityContext: {privileged: true}
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> sleeping("priv", "c")));
    int pid = daemon.pid("priv", "c");
    assertEquals(status((int) daemon.daemonPid(), "CapBnd"), status(pid, "CapEff"),
        "every capability of the daemon's bounding set (CAP_PERFMON, CAP_BPF, CAP_CHECKPOINT_RESTORE among them)");
    String device = hostDevice();
    assertTrue(Files.exists(Path.of("/proc/" + pid + "/root/dev/" + device)), "host device /dev/" + device);
    String sys = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].equals("/sys")).findFirst().orElseThrow();
    assertTrue(sys.split(" ")[5].startsWith("rw"), sys);
    daemon.cli("delete", "pod", "priv", "--now").ok();
  }

  /// A character device of the host that an unprivileged container does not get.
  private static String hostDevice() throws Exception {
    Set<String> defaults = Set.of("null", "zero", "full", "random", "urandom", "tty", "console", "ptmx");
    try (Stream<Path> s = Files.list(Path.of("/dev"))) {
      return s.filter(p -> !defaults.contains(p.getFileName().toString()))
          .filter(p -> {
            try {
              return ((Integer) Files.getAttribute(p, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
                  & 0170000) == 0020000;
            } catch (java.io.IOException e) {
              return false;
            }
          }).map(p -> p.getFileName().toString()).sorted().findFirst().orElseThrow();
    }
  }

  @Test
  void sysctls_safeOnesAreSet_unsafeOnesAndHostUsersFalseAreRefusedWithTheReason() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("sysctl.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: sysctl}
        spec:
          securityContext:
            sysctls: [{name: net.ipv4.ip_local_port_range, value: '20000 30000'}]
          containers: [{name: c, image: busybox, command: ['sleep', '3600']}]
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("sysctl", "c") > 0));
    // /proc/sys/net shows the network namespace of whoever reads it: read it from inside the pod.
    String range = daemon.cli("exec", "sysctl", "--", "cat", "/proc/sys/net/ipv4/ip_local_port_range").ok().out()
        .trim();
    assertEquals("20000\t30000", range, "set in the pod's network namespace");
    assertNotEquals(range, Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim(),
        "and not on the host");
    var unsafe = daemon.cli("apply", "-f", daemon.writeManifest("unsafe.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: unsafe}
        spec:
          securityContext:
            sysctls: [{name: kernel.msgmax, value: '65536'}]
          containers: [{name: c, image: busybox, command: ['sleep', '3600']}]
        """).toString());
    assertNotEquals(0, unsafe.exitCode());
    assertTrue(unsafe.err().contains("--allowed-unsafe-sysctls=kernel.msgmax"), unsafe.err());
    var users = daemon.cli("apply", "-f", daemon.writeManifest("users.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: users}
        spec:
          hostUsers: false
          containers: [{name: c, image: busybox, command: ['sleep', '3600']}]
        """).toString());
    assertNotEquals(0, users.exitCode());
    assertTrue(users.err().contains("hostUsers: false") && users.err().contains("idmapped"), users.err());
    var host = daemon.cli("get", "pods", "-o", "name").ok().out();
    assertTrue(!host.contains("unsafe") && !host.contains("users"), "nothing was created: " + host);
    daemon.cli("delete", "pod", "sysctl", "--now").ok();
  }

  @Test
  void localhostSeccompProfile_isLoaded_andAProfileOutsideTheRootIsRefused() throws Exception {
    Path root = Files.createDirectories(daemon.stateRoot.resolve("seccomp"));
    Files.writeString(root.resolve("no-mkdir.json"), """
        {"defaultAction": "SCMP_ACT_ALLOW",
         "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
        """);
    Files.createSymbolicLink(root.resolve("escape.json"), Path.of("/etc/hostname"));
    daemon.cli("apply", "-f", daemon.writeManifest("local.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: local}
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
            securityContext: {seccompProfile: {type: Localhost, localhostProfile: no-mkdir.json}}
          - name: d
            image: busybox
            command: ['sleep', '3600']
            securityContext: {seccompProfile: {type: Localhost, localhostProfile: escape.json}}
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> sleeping("local", "c")));
    assertEquals("2", status(daemon.pid("local", "c"), "Seccomp"));
    var mkdir = daemon.cli("exec", "local", "-c", "c", "--", "mkdir", "/tmp/x");
    assertNotEquals(0, mkdir.exitCode(), "the profile denies mkdir");
    daemon.cli("exec", "local", "-c", "c", "--", "touch", "/tmp/y").ok();
    var d = daemon.awaitWaiting("local", "d", "CreateContainerConfigError");
    assertTrue(d.get("message").text("").contains("escape.json"), d.raw().toString());
    daemon.cli("delete", "pod", "local", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }
}
