package io.peapod.kubelet.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriterTest {
  @TempDir Path dir;

  private static VolumeFiles.File file(String s, int mode) {
    return new VolumeFiles.File(s.getBytes(StandardCharsets.UTF_8), mode);
  }

  private long versions() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\.\\.\\d.*")).count();
    }
  }

  @Test
  void write_makesTheDataLinkLayout_thenSwapsItWhole_andLeavesOneVersion() throws Exception {
    assertTrue(AtomicWriter.write(dir, Map.of("a", file("1", 0644), "sub/b", file("2", 0400)), Optional.empty()));
    assertTrue(Files.isSymbolicLink(dir.resolve("..data")));
    assertEquals(Path.of("..data", "a"), Files.readSymbolicLink(dir.resolve("a")));
    assertEquals("2", Files.readString(dir.resolve("sub/b")));
    assertEquals(0400, (Integer) Files.getAttribute(dir.resolve("sub/b"), "unix:mode") & 0777);
    assertEquals(0755, (Integer) Files.getAttribute(dir.resolve("..data/sub"), "unix:mode") & 0777);
    assertFalse(AtomicWriter.write(dir, Map.of("a", file("1", 0644), "sub/b", file("2", 0400)), Optional.empty()),
        "the same files change nothing");
    assertTrue(AtomicWriter.write(dir, Map.of("a", file("3", 0644)), Optional.empty()));
    assertEquals("3", Files.readString(dir.resolve("a")));
    assertFalse(Files.exists(dir.resolve("sub"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
        "a name no longer in the set goes");
    assertEquals(1, versions(), "the old version is removed");
  }

  @Test
  void write_withAGroup_ownsTheFilesAndLetsTheGroupRead() throws Exception {
    AtomicWriter.write(dir, Map.of("k", file("v", 0600)), Optional.of(1234L));
    Path real = dir.resolve("..data/k");
    assertEquals(1234, Files.getAttribute(real, "unix:gid"));
    assertEquals(0640, (Integer) Files.getAttribute(real, "unix:mode") & 0777);
    assertFalse(AtomicWriter.write(dir, Map.of("k", file("v", 0600)), Optional.of(1234L)),
        "the group's read bit does not count as a change");
  }
}
