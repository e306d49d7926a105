package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/// No other user of the node gets root through the daemon's files, nor reads its secrets: the roots are
/// closed, the database is root's, a setuid file in an image or written by a container cannot be run by
/// an unprivileged user, and files containers must read are readable to them.
class FileModesIT extends SharedDaemon {
  /// Runs a command as `nobody` (util-linux's runuser) and returns its exit code and output.
  private static CliResult asNobody(String... cmd) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
    argv.addAll(List.of(cmd));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    return new CliResult(p.waitFor(), out, "");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void rootsAndDatabase_areClosedToOtherUsers() throws Exception {
    Path state = daemon.root.resolve("state");
    assertEquals("rwx------", mode(state));
    assertEquals("rwx--x--x", mode(daemon.root.resolve("run")));
    assertEquals("rw-------", mode(state.resolve("peapod.db")));
    CliResult read = asNobody("cat", state.resolve("peapod.db").toString());
    assertNotEquals(0, read.exitCode(), "nobody cannot read the database: " + read.out());
    assertTrue(read.out().contains("Permission denied"), read.out());
  }

  @Test
  void setuidFiles_inALayerOrWrittenByAContainer_cannotBeRunByAnotherUser() throws Exception {
    Path rootfs = daemon.root.resolve("suid-rootfs");
    new ProcessBuilder("cp", "-a", daemon.busyboxRootfs().toString(), rootfs.toString()).inheritIO().start().waitFor();
    Files.copy(rootfs.resolve("bin/busybox"), rootfs.resolve("bin/suid-busybox"));
    Files.setAttribute(rootfs.resolve("bin/suid-busybox"), "unix:mode", 04755);
    daemon.cli("image", "import", "--rootfs", rootfs.toString(), "--tag", "example.com/suid:1").ok();
    daemon.cli("apply", "-f", daemon.writeManifest("suid.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: suid
        spec:
          containers:
          - name: c
            image: example.com/suid:1
            command: ['sh', '-c', 'cp /bin/busybox /made-here && chmod 4755 /made-here && sleep 3600']
        """).toString(), "--wait").ok();
    assertTrue(daemon.eventually(() -> daemon.cli("exec", "suid", "--", "ls", "/made-here").exitCode() == 0));
    List<Path> suid = new java.util.ArrayList<>();
    try (var files = Files.walk(daemon.root.resolve("state"))) {
      files.filter(p -> p.getFileName().toString().equals("suid-busybox")
          || p.getFileName().toString().equals("made-here")).forEach(suid::add);
    }
    assertTrue(suid.size() >= 2, "the layer's and the upper directory's setuid files: " + suid);
    for (Path p : suid) {
      assertEquals(04000, (Integer) Files.getAttribute(p, "unix:mode") & 04000, p + " is setuid");
      CliResult run = asNobody(p.toString(), "id", "-u");
      assertNotEquals(0, run.exitCode(), "nobody cannot run " + p + ": " + run.out());
      assertTrue(run.out().contains("Permission denied"), run.out());
    }
    daemon.cli("delete", "pod", "suid", "--now").ok();
  }

  @Test
  void filesContainersRead_areReadableToANonRootContainerUser() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("nonroot.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: nonroot
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
            securityContext: {runAsUser: 1000, runAsGroup: 1000}
            volumeMounts: [{name: v, mountPath: /scratch}]
          volumes:
          - name: v
            emptyDir: {}
        """).toString(), "--wait").ok();
    String out = daemon.cli("exec", "nonroot", "--", "sh", "-c", "id -u; cat /etc/hosts /etc/resolv.conf /etc/hostname"
        + " >/dev/null && echo read-ok; ls /bin/sh >/dev/null && echo ls-ok; echo x > /scratch/f && echo write-ok;"
        + " umask").ok().out();
    assertTrue(out.startsWith("1000\n"), out);
    assertTrue(out.contains("read-ok") && out.contains("ls-ok") && out.contains("write-ok"), out);
    assertTrue(out.trim().endsWith("0022"), "containers get the usual umask, not the daemon's: " + out);
    daemon.cli("delete", "pod", "nonroot", "--now").ok();
  }
}
