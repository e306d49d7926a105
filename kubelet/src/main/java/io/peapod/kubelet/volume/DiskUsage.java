package io.peapod.kubelet.volume;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/// `du` of a directory as kubelet measures an emptyDir: the sizes of the files in it, links not
/// followed, files that vanish while it counts left out.
final class DiskUsage {
  private DiskUsage() {}

  static long of(Path dir) {
    long[] total = {0};
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          total[0] += attrs.size();
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException gone) {
      return 0;
    } catch (IOException e) {
      throw new InternalException("measure " + dir + ": " + e.getMessage(), e);
    }
    return total[0];
  }
}
