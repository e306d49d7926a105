package io.peapod.runtime.oci;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;
import java.util.Optional;

/// The uid and gid a container process runs as, resolved from the image's `User` field
/// (`name`, `uid`, `name:group`, `uid:gid`) against the image's /etc/passwd and /etc/group.
public record ProcessUser(long uid, long gid) {
  public static final ProcessUser ROOT = new ProcessUser(0, 0);

  /// The image's files as its containers first see them: the lines of the regular file at a path relative
  /// to `/` (`etc/passwd`), none when there is no such file.
  @FunctionalInterface
  public interface ImageFiles {
    List<String> lines(String relative);
  }

  /// `runAsUser`/`runAsGroup` override the image's user, as in Kubernetes.
  public static ProcessUser resolve(String imageUser, Optional<Long> runAsUser, Optional<Long> runAsGroup,
      ImageFiles image) {
    if (runAsUser.isEmpty()) {
      ProcessUser fromImage = parse(imageUser, image);
      return new ProcessUser(fromImage.uid, runAsGroup.orElse(fromImage.gid));
    }
    long uid = runAsUser.get();
    // As containerd does: without runAsGroup, the uid's primary group from the image, else 0.
    long gid = runAsGroup.orElseGet(() -> lookupPasswd(String.valueOf(uid), image).map(p -> p[1]).orElse(0L));
    return new ProcessUser(uid, gid);
  }

  static ProcessUser parse(String user, ImageFiles image) {
    if (user == null || user.isEmpty()) {
      return ROOT;
    }
    String[] parts = user.split(":", 2);
    long uid;
    long gid;
    Optional<long[]> passwd = lookupPasswd(parts[0], image);
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
          : lookupGroup(parts[1], image).orElseThrow(() -> new InvalidArgumentException("image group '" + parts[1]
              + "' is not in the image's /etc/group"));
    }
    return new ProcessUser(uid, gid);
  }

  /// Finds `name` (or a numeric uid) in /etc/passwd; returns {uid, gid}.
  private static Optional<long[]> lookupPasswd(String nameOrUid, ImageFiles image) {
    for (String line : image.lines("etc/passwd")) {
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

  private static Optional<Long> lookupGroup(String name, ImageFiles image) {
    for (String line : image.lines("etc/group")) {
      String[] f = line.split(":");
      if (f.length >= 3 && f[0].equals(name)) {
        return Optional.of(Long.parseLong(f[2]));
      }
    }
    return Optional.empty();
  }
}
