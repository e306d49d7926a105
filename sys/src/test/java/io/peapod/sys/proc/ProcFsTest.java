package io.peapod.sys.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.Namespace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {
  @TempDir Path root;

  @Test
  void namespaces_readsInodesFromLinks() throws Exception {
    Files.createDirectories(root.resolve("42/ns"));
    Files.createSymbolicLink(root.resolve("42/ns/net"), Path.of("net:[4026531840]"));
    Files.createSymbolicLink(root.resolve("42/ns/pid"), Path.of("pid:[4026531836]"));
    var ns = new ProcFs(root).namespaces(42);
    assertEquals(4026531840L, ns.get(Namespace.NET));
    assertEquals(4026531836L, ns.get(Namespace.PID));
    assertEquals(2, ns.size());
  }

  @Test
  void hardLimit_parsesLimitsTable() throws Exception {
    Files.createDirectories(root.resolve("self"));
    Files.writeString(root.resolve("self/limits"), """
        Limit                     Soft Limit           Hard Limit           Units
        Max processes             96365                96365                processes
        Max open files            1024                 20000                files
        Max core file size        0                    unlimited            bytes
        """);
    var proc = new ProcFs(root);
    assertEquals(Optional.of(20000L), proc.hardLimit("self", "Max open files"));
    assertEquals(Optional.empty(), proc.hardLimit("self", "Max core file size"));
  }

  @Test
  void mountPoints_decodesOctalEscapes() throws Exception {
    Files.createDirectories(root.resolve("self"));
    Files.writeString(root.resolve("self/mountinfo"),
        "36 35 98:0 /mnt1 /mnt/with\\040space rw,noatime master:1 - ext3 /dev/root rw\n");
    assertEquals(List.of("/mnt/with space"), new ProcFs(root).mountPoints("self"));
  }

  @Test
  void isAlive_selfIsAlive() {
    assertTrue(ProcFs.HOST.isAlive((int) ProcessHandle.current().pid()));
  }
}
