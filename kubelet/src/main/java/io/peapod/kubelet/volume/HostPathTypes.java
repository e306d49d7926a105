package io.peapod.kubelet.volume;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.PeapodException;
import io.peapod.sys.FileKind;
import io.peapod.sys.PathHandle;
import io.peapod.sys.Syscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// hostPath's `type` checks, as kubelet makes them when it mounts the volume: `DirectoryOrCreate` and
/// `FileOrCreate` make what is missing (0755 directories, a 0644 empty file, owned by root; a file's
/// parent directory must exist), the others require the path to exist and be of that kind. What is
/// made is made beneath the deepest existing directory without following links, and its mode is set
/// through the descriptor, so a symlink swapped in meanwhile cannot redirect either.
final class HostPathTypes {
  private HostPathTypes() {}

  static void check(Syscalls sys, Path path, String type, String volume) {
    if (type.isEmpty()) {
      return;
    }
    if (!Files.exists(path)) {
      try {
        if (type.equals("DirectoryOrCreate")) {
          make(sys, path, true);
        } else if (type.equals("FileOrCreate")) {
          make(sys, path, false);
        }
      } catch (PeapodException e) {
        if (!Files.exists(path)) {
          throw new InvalidArgumentException("hostPath volume '" + volume + "': make " + path + ": " + e.getMessage(),
              e);
        }
      }
    }
    FileKind want = switch (type) {
      case "Directory", "DirectoryOrCreate" -> FileKind.DIRECTORY;
      case "File", "FileOrCreate" -> FileKind.REGULAR;
      case "Socket" -> FileKind.SOCKET;
      case "CharDevice" -> FileKind.CHAR_DEVICE;
      default -> FileKind.BLOCK_DEVICE;
    };
    FileKind found;
    try (PathHandle h = sys.openPath(path)) {
      found = h.kind();
    } catch (NotFoundException e) {
      throw new InvalidArgumentException("hostPath volume '" + volume + "': hostPath type check failed: " + path
          + " does not exist (type " + type + ")", e);
    }
    if (found != want) {
      throw new InvalidArgumentException("hostPath volume '" + volume + "': hostPath type check failed: " + path
          + " is not a " + want.name().toLowerCase().replace('_', ' ') + " (type " + type + "), it is a "
          + found.name().toLowerCase().replace('_', ' '));
    }
  }

  /// Makes the missing end of `path`: directories (all missing ones), or one empty file whose parent exists.
  private static void make(Syscalls sys, Path path, boolean directory) {
    Path existing = path;
    List<String> missing = new ArrayList<>();
    while (existing.getParent() != null && !Files.exists(existing)) {
      missing.addFirst(existing.getFileName().toString());
      existing = existing.getParent();
    }
    if (!directory && missing.size() > 1) {
      throw new InvalidArgumentException("its directory " + path.getParent() + " does not exist (FileOrCreate makes"
          + " only the file)");
    }
    List<PathHandle> opened = new ArrayList<>();
    try {
      PathHandle current = sys.openPath(existing);
      opened.add(current);
      for (int i = 0; i < missing.size(); i++) {
        if (directory || i < missing.size() - 1) {
          current = SubPathStager.openOrMake(sys, current, missing.get(i), 0755);
        } else {
          sys.createFileAt(current, missing.get(i), 0644);
          current = sys.openBeneath(current, missing.get(i));
          SubPathStager.chmod(current, 0644);
        }
        opened.add(current);
      }
    } finally {
      opened.forEach(PathHandle::close);
    }
  }
}
