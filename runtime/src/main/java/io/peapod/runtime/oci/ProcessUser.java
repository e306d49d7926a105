package io.peapod.runtime.oci;

import io.peapod.base.error.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// The uid and gid a container process runs as, resolved from the image's `User` field
/// (`name`, `uid`, `name:group`, `uid:gid`) against the rootfs's /etc/passwd and /etc/group.
public record ProcessUser(long uid, long gid) {
  public static final ProcessUser ROOT = new ProcessUser(0, 0);

  /// `runAsUser`/`runAsGroup` override the image's user, as in Kubernetes.
  public static ProcessUser resolve(String imageUser, Optional<Long> runAsUser, Optional<Long> runAsGroup, Path rootfs) {
    if (runAsUser.isEmpty()) {
      ProcessUser fromImage = parse(imageUser, rootfs);
      return new ProcessUser(fromImage.uid, runAsGroup.orElse(fromImage.gid));
    }
    long uid = runAsUser.get();
    // As containerd does: without runAsGroup, the uid's primary group from the image, else 0.
    long gid = runAsGroup.orElseGet(() -> lookupPasswd(String.valueOf(uid), rootfs).map(p -> p[1]).orElse(0L));
    return new ProcessUser(uid, gid);
  }

  static ProcessUser parse(String user, Path rootfs) {
    if (user == null || user.isEmpty()) {
      return ROOT;
    }
    String[] parts = user.split(":", 2);
    long uid;
    long gid;
    Optional<long[]> passwd = lookupPasswd(parts[0], rootfs);
    if (parts[0].matches("\\d+")) {
      uid = Long.parseLong(parts[0]);
      gid = passwd.map(p -> p[1]).orElse(0L);
    } else {
      long[] entry = passwd.orElseThrow(() -> new InvalidArgumentException("image user '" + user
          + "' is not in the image's /etc/passwd"));
      uid = entry[0];
      gid = entry[1];
    }
    if (parts.length == 2) {
      gid = parts[1].matches("\\d+") ? Long.parseLong(parts[1])
          : lookupGroup(parts[1], rootfs).orElseThrow(() -> new InvalidArgumentException("image group '" + parts[1]
              + "' is not in the image's /etc/group"));
    }
    return new ProcessUser(uid, gid);
  }

  /// Finds `name` (or a numeric uid) in /etc/passwd; returns {uid, gid}.
  private static Optional<long[]> lookupPasswd(String nameOrUid, Path rootfs) {
    for (String line : readEtc(rootfs, "passwd")) {
      String[] f = line.split(":");
      if (f.length >= 4 && (f[0].equals(nameOrUid) || f[2].equals(nameOrUid))) {
        try {
          return Optional.of(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Long> lookupGroup(String name, Path rootfs) {
    for (String line : readEtc(rootfs, "group")) {
      String[] f = line.split(":");
      if (f.length >= 3 && f[0].equals(name)) {
        return Optional.of(Long.parseLong(f[2]));
      }
    }
    return Optional.empty();
  }

  /// Reads a file under the rootfs's /etc, refusing symlinks, which could point out of the rootfs.
  private static List<String> readEtc(Path rootfs, String file) {
    Path etc = rootfs.resolve("etc");
    Path p = etc.resolve(file);
    if (Files.isSymbolicLink(etc) || Files.isSymbolicLink(p) || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try {
      return Files.readAllLines(p);
    } catch (IOException e) {
      return List.of();
    }
  }
}
