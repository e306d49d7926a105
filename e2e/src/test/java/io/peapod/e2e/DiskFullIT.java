package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/// A full disk is an error that says so, and the import that hit it leaves nothing: the daemon's state
/// root is a 3 MiB tmpfs, too small for the busybox image's blob and its unpacked layer together.
@RequiresRoot
class DiskFullIT {
  @Test
  void importOnAFullDisk_failsWithDiskFull_andStoresNothing() throws Exception {
    Path mount = Files.createDirectories(Path.of("/tmp/peapod-it-full-" + ProcessHandle.current().pid()));
    assertEquals("", TestDaemon.run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString()).trim());
    try {
      try (TestDaemon daemon = TestDaemon.startWithStateRoot(mount.resolve("state"))) {
        Path rootfs = daemon.busyboxRootfs();
        CliResult r = daemon.cli("image", "import", "--rootfs", rootfs.toString(), "--tag", "busybox");
        assertEquals(6, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("disk full"), r.err());
        assertEquals("REPOSITORY   TAG   IMAGE ID   DIGEST   SIZE   AGE", daemon.cli("image", "ls").ok().out().trim());
        try (Stream<Path> blobs = Files.list(mount.resolve("state/content/blobs/sha256"));
            Stream<Path> layers = Files.list(mount.resolve("state/layers"))) {
          assertEquals(0, blobs.count() + layers.count(), "no blob or layer is left");
        }
      }
    } finally {
      TestDaemon.run("umount", mount.toString());
      Files.delete(mount);
    }
  }

  /// The database's disk fills up: applying a pod says the disk is full and names the database, the pods
  /// already recorded stay, and once space is freed the same apply works.
  @Test
  void applyOnAFullDisk_saysSoNamingTheDatabase_andLosesNothingRecorded() throws Exception {
    Path mount = Files.createDirectories(Path.of("/tmp/peapod-it-full2-" + ProcessHandle.current().pid()));
    assertEquals("", TestDaemon.run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mount.toString()).trim());
    try {
      try (TestDaemon daemon = TestDaemon.startWithStateRoot(mount.resolve("state"))) {
        daemon.importBusybox();
        String pod = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: %s
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - {name: c, image: busybox, imagePullPolicy: IfNotPresent, command: ['sleep', '3600']}
            """;
        daemon.cli("apply", "-f", daemon.writeManifest("first.yaml", pod.formatted("first")).toString(), "--wait").ok();
        Path filler = mount.resolve("filler");
        Path second = daemon.writeManifest("second.yaml", pod.formatted("second"));
        try {
          TestDaemon.run("dd", "if=/dev/zero", "of=" + filler, "bs=1M");
          CliResult full = daemon.cli("apply", "-f", second.toString());
          assertEquals(6, full.exitCode(), full.out() + full.err());
          assertTrue(full.err().contains("disk full") && full.err().contains(mount.resolve("state").toString()),
              full.err());
          assertTrue(daemon.cli("get", "pods").ok().out().contains("first"), "what was recorded stays");
        } finally {
          // Even when an assertion fails: the daemon's close deletes the pods, which needs room to record it.
          Files.deleteIfExists(filler);
        }
        daemon.cli("apply", "-f", second.toString(), "--wait").ok();
        daemon.cli("delete", "pod", "first", "second").ok();
      }
    } finally {
      // Lazily: a failed test may leave something open on this file system (a container's process, whose
      // overlay's upper layer is here), and its own error must not be hidden by the unmount's.
      TestDaemon.run("umount", "-l", mount.toString());
      Files.delete(mount);
    }
  }
}
