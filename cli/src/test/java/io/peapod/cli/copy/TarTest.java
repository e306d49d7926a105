package io.peapod.cli.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarTest {
  @TempDir Path tmp;
  private final PrintStream warnings = new PrintStream(new ByteArrayOutputStream(), true);

  private byte[] tar(Path source, String name) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TarWriter(out).write(source, name);
    return out.toByteArray();
  }

  @Test
  void aTreeRoundTrips_withModesAndLongNames() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/sub/" + "d".repeat(120)));
    Files.writeString(src.resolve("f.txt"), "hello");
    Files.setAttribute(src.resolve("f.txt"), "unix:mode", 0750);
    Files.writeString(tmp.resolve("src/top"), "top");
    Path dest = tmp.resolve("copy");
    TarReader.extract(new ByteArrayInputStream(tar(tmp.resolve("src"), "src")), "src", dest, warnings);
    assertEquals("hello", Files.readString(dest.resolve("sub/" + "d".repeat(120) + "/f.txt")));
    assertEquals(0750, (Integer) Files.getAttribute(dest.resolve("sub/" + "d".repeat(120) + "/f.txt"), "unix:mode")
        & 0777);
    assertEquals("top", Files.readString(dest.resolve("top")));
  }

  @Test
  void entriesThatWouldLeaveTheDestination_areRefused() throws Exception {
    Path evil = Files.createDirectories(tmp.resolve("evil"));
    Files.writeString(evil.resolve("x"), "x");
    byte[] archive = tar(evil, "../escape");
    Path dest = tmp.resolve("dest");
    assertThrows(InvalidArgumentException.class,
        () -> TarReader.extract(new ByteArrayInputStream(archive), "../escape", dest, warnings));
    assertFalse(Files.exists(tmp.resolve("escape")));
    byte[] other = tar(evil, "other");
    assertThrows(InvalidArgumentException.class,
        () -> TarReader.extract(new ByteArrayInputStream(other), "expected", dest, warnings),
        "an entry the copy did not ask for");
  }

  @Test
  void aSymlinkInTheDestination_isNotWrittenThrough() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("s/inner"));
    Files.writeString(src.resolve("f"), "data");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Path dest = Files.createDirectories(tmp.resolve("d"));
    Files.createSymbolicLink(dest.resolve("inner"), outside);
    var e = assertThrows(InvalidArgumentException.class,
        () -> TarReader.extract(new ByteArrayInputStream(tar(tmp.resolve("s"), "s")), "s", dest, warnings));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    assertFalse(Files.exists(outside.resolve("f")));
    Files.writeString(outside.resolve("victim"), "keep");
    Files.delete(dest.resolve("inner"));
    Files.createSymbolicLink(dest.resolve("file"), outside.resolve("victim"));
    Path one = Files.writeString(tmp.resolve("file"), "new".repeat(1));
    assertThrows(java.io.IOException.class,
        () -> TarReader.extract(new ByteArrayInputStream(tar(one, "file")), "file", dest.resolve("file"), warnings));
    assertEquals("keep", Files.readString(outside.resolve("victim"), StandardCharsets.UTF_8));
  }

  @Test
  void aDestinationSpelledWithDots_isTheSameDestination() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("t/a/b"));
    Files.writeString(src.resolve("f"), "deep");
    Path dotted = tmp.resolve("out/./copy/../copy");
    Files.createDirectories(tmp.resolve("out"));
    TarReader.extract(new ByteArrayInputStream(tar(tmp.resolve("t"), "t")), "t", dotted, warnings);
    assertEquals("deep", Files.readString(tmp.resolve("out/copy/a/b/f")));
  }
}
