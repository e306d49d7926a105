package io.peapod.runtime.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peapod.testing.RecordingSyscalls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergedLayersTest {
  @TempDir Path tmp;
  private final RecordingSyscalls sys = new RecordingSyscalls();

  private Path layer(String name, String... files) throws Exception {
    Path l = tmp.resolve(name);
    Files.createDirectories(l);
    for (String f : files) {
      Path p = l.resolve(f);
      Files.createDirectories(p.getParent());
      Files.writeString(p, name + "\n");
    }
    return l;
  }

  private List<String> read(List<Path> lowestFirst, String relative) {
    return new MergedLayers(lowestFirst, sys).lines(relative);
  }

  @Test
  void theTopmostLayerHoldingTheFile_decides() throws Exception {
    Path base = layer("base", "etc/passwd", "etc/group");
    Path app = layer("app", "etc/passwd");
    Path empty = layer("empty");
    assertEquals(List.of("app"), read(List.of(base, app, empty), "etc/passwd"));
    assertEquals(List.of("base"), read(List.of(base, app, empty), "etc/group"));
    assertEquals(List.of(), read(List.of(base, app), "etc/shadow"));
  }

  @Test
  void somethingElseThanAFileAbove_hidesTheFilesBelow() throws Exception {
    Path base = layer("base", "etc/passwd", "etc/group");
    // A whiteout is a character device; a directory or a symlink in its place hides the file as well.
    Path top = layer("top");
    Files.createDirectories(top.resolve("etc/passwd"));
    Files.createSymbolicLink(top.resolve("etc/group"), base.resolve("etc/group"));
    assertEquals(List.of(), read(List.of(base, top), "etc/passwd"));
    assertEquals(List.of(), read(List.of(base, top), "etc/group"));
  }

  @Test
  void aWhiteoutOfTheDirectory_hidesItsFiles_andANewDirectoryOverAFileIsTheOneSeen() throws Exception {
    Path base = layer("base", "etc/passwd");
    Path gone = layer("gone");
    Files.writeString(gone.resolve("etc"), "");  // a whiteout's place: anything but a directory
    assertEquals(List.of(), read(List.of(base, gone), "etc/passwd"));
    Path again = layer("again", "etc/group");
    assertEquals(List.of(), read(List.of(base, gone, again), "etc/passwd"));
    assertEquals(List.of("again"), read(List.of(base, gone, again), "etc/group"));
  }

  @Test
  void anOpaqueDirectoryDeeperDown_hidesOnlyWhatIsBelowIt() throws Exception {
    Path base = layer("base", "usr/share/a/f", "usr/share/b/f");
    Path top = layer("top", "usr/share/a/g");
    sys.setXattr(top.resolve("usr/share/a"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of(), read(List.of(base, top), "usr/share/a/f"));
    assertEquals(List.of("top"), read(List.of(base, top), "usr/share/a/g"));
    assertEquals(List.of("base"), read(List.of(base, top), "usr/share/b/f"));
  }

  @Test
  void aFileNotInUtf8_stillReads() throws Exception {
    Path l = layer("latin");
    Files.createDirectories(l.resolve("etc"));
    Files.write(l.resolve("etc/passwd"), "app:x:1000:1000:Jos\u00e9:/:/bin/sh\nweb:x:33:33::/:/bin/sh\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertEquals("web:x:33:33::/:/bin/sh", read(List.of(l), "etc/passwd").get(1));
  }

  @Test
  void anOpaqueDirectory_hidesTheLayersBelowIt() throws Exception {
    Path base = layer("base", "etc/passwd", "etc/group");
    Path top = layer("top", "etc/group");
    sys.setXattr(top.resolve("etc"), "trusted.overlay.opaque", "y".getBytes(StandardCharsets.US_ASCII));
    assertEquals(List.of(), read(List.of(base, top), "etc/passwd"));
    assertEquals(List.of("top"), read(List.of(base, top), "etc/group"));
  }

  @Test
  void aSymlinkOnTheWay_isRefused_notFollowedOutOfTheImage() throws Exception {
    Path outside = layer("outside", "etc/passwd");
    Path image = layer("image");
    Files.createSymbolicLink(image.resolve("etc"), outside.resolve("etc"));
    assertEquals(List.of(), read(List.of(image), "etc/passwd"));
    assertEquals(List.of(), read(List.of(image), "../outside/etc/passwd"));
  }
}
