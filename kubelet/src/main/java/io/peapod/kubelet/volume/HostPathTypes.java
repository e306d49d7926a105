package io.peapod.kubelet.volume;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.sys.FileKind;
import io.peapod.sys.PathHandle;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/// hostPath's `type` checks, as kubelet makes them when it mounts the volume: `DirectoryOrCreate` and
/// `FileOrCreate` make what is missing (0755 directory, 0644 empty file, owned by root), the others
/// require the path to exist and be of that kind.
final class HostPathTypes {
  private HostPathTypes() {}

  static void check(Syscalls sys, Path path, String type, String volume) {
    if (type.isEmpty()) {
      return;
    }
    try {
      if (type.equals("DirectoryOrCreate") && !Files.exists(path)) {
        Files.createDirectories(path);
        Files.setAttribute(path, "unix:mode", 0755);
      } else if (type.equals("FileOrCreate") && !Files.exists(path)) {
        try {
          Files.createFile(path);
          Files.setAttribute(path, "unix:mode", 0644);
        } catch (FileAlreadyExistsException raced) {
          // made meanwhile: its kind is checked below like any other
        }
      }
    } catch (IOException e) {
      throw new InternalException("hostPath volume '" + volume + "': make " + path + ": " + e.getMessage(), e);
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
}
