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
}
