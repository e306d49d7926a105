package io.peapod.runtime.oci;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/// The host's device nodes, which a privileged container gets as containerd gives them: every
/// character and block device under /dev, except the terminal and queue file systems a container has
/// its own of.
public final class HostDevices {
  private static final Set<String> OWN = Set.of("pts", "mqueue", "shm", "console", "ptmx");

  /// One device node as OCI's `linux.devices` lists it.
  public record Device(String path, String type, long major, long minor, int fileMode, long uid, long gid) {
    Map<String, Object> oci() {
      return Map.of("path", path, "type", type, "major", major, "minor", minor, "fileMode", fileMode, "uid", uid,
          "gid", gid);
    }
  }

  /// A host device given to a container at `device.path()`, allowed for `access` (some of `rwm`).
  public record Granted(Device device, String access) {}

  private HostDevices() {}

  /// The device node at `hostPath` (links followed, as a caller may name `/dev/disk/by-id/...`), to be made
  /// at `containerPath`; a path that is no character or block device is refused.
  public static Device of(Path hostPath, String containerPath) {
    try {
      Path real = hostPath.toRealPath();
      int mode = (Integer) Files.getAttribute(real, "unix:mode");
      String type = (mode & 0170000) == 0020000 ? "c" : (mode & 0170000) == 0060000 ? "b" : "";
      if (type.isEmpty()) {
        throw new io.peapod.base.error.InvalidArgumentException("device " + hostPath + " is not a character or"
            + " block device");
      }
      long rdev = (Long) Files.getAttribute(real, "unix:rdev");
      return new Device(containerPath, type, major(rdev), minor(rdev), mode & 07777,
          (Integer) Files.getAttribute(real, "unix:uid"), (Integer) Files.getAttribute(real, "unix:gid"));
    } catch (java.nio.file.NoSuchFileException e) {
      throw new io.peapod.base.error.InvalidArgumentException("device " + hostPath + " does not exist on the node");
    } catch (IOException e) {
      throw new InternalException("read device " + hostPath + ": " + e.getMessage(), e);
    }
  }

  private static long major(long rdev) {
    return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
  }

  private static long minor(long rdev) {
    return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
  }

  public static List<Device> list(Path dev) {
    List<Device> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(dev)) {
      for (Path p : walk.toList()) {
        Path rel = dev.relativize(p);
        if (rel.getNameCount() == 0 || OWN.contains(rel.getName(0).toString())) {
          continue;
        }
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isOther()) {
          continue;
        }
        int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        String type = (mode & 0170000) == 0020000 ? "c" : (mode & 0170000) == 0060000 ? "b" : "";
        if (type.isEmpty()) {
          continue;
        }
        long rdev = (Long) Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        out.add(new Device("/dev/" + rel, type, major(rdev), minor(rdev), mode & 07777,
            (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS),
            (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)));
      }
    } catch (IOException e) {
      throw new InternalException("list host devices under " + dev + ": " + e.getMessage(), e);
    }
    return out;
  }
}
