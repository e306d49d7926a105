package io.peapod.base.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
  @TempDir Path tmp;

  @Test
  void delete_removesTree_butNotWhatASymlinkPointsTo() throws Exception {
    Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("keep"), "x");
    Path tree = Files.createDirectories(tmp.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f"), "y");
    Files.createSymbolicLink(tmp.resolve("tree/link"), tmp.resolve("outside"));
    FileTrees.delete(tmp.resolve("tree"));
    assertFalse(Files.exists(tmp.resolve("tree")));
    assertTrue(Files.exists(outside));
    FileTrees.delete(tmp.resolve("absent"));
  }
}
