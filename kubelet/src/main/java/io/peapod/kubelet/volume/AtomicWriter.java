package io.peapod.kubelet.volume;

import io.peapod.base.error.InternalException;
import io.peapod.base.io.FileTrees;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/// Writes a volume's files the way kubelet's atomic writer does, so that a container reading the
/// volume sees the old set or the new one, never a mix:
///
/// ```
/// <dir>/..2026_12_03_23_59_59.123456789/<files>   each version in its own hidden directory
/// <dir>/..data -> ..2026_12_03_23_59_59.123456789  swapped with one rename
/// <dir>/<top-level name> -> ..data/<top-level name>
/// ```
///
/// Only the kubelet writes here (containers get the volume read-only), and every path was checked at
/// apply to be relative and free of `..`.
public final class AtomicWriter {
  static final String DATA = "..data";
  private static final String DATA_TMP = "..data_tmp";

  private AtomicWriter() {}

  /// Writes `files` into `dir` unless they are what it holds already; returns whether anything changed.
  /// `gid`, when given, owns the files (a pod's `fsGroup`), which it may then read.
  public static boolean write(Path dir, Map<String, VolumeFiles.File> files, Optional<Long> gid) {
    Map<String, VolumeFiles.File> wanted = new java.util.TreeMap<>();
    files.forEach((path, f) -> wanted.put(path, gid.isPresent() ? new VolumeFiles.File(f.content(), f.mode() | 0040) : f));
    try {
      if (wanted.equals(current(dir))) {
        tidy(dir, wanted);
        return false;
      }
      Path version = dir.resolve(".." + Instant.now().toString().replaceAll("[-:TZ]", "_").replaceAll("_+$", ""));
      Files.createDirectory(version);
      Files.setAttribute(version, "unix:mode", 0755);
      for (Map.Entry<String, VolumeFiles.File> f : wanted.entrySet()) {
        Path target = version.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        makeDirs(version, target.getParent());
        Files.write(target, f.getValue().content());
        if (gid.isPresent()) {
          Files.setAttribute(target, "unix:gid", gid.get().intValue(), LinkOption.NOFOLLOW_LINKS);
        }
        Files.setAttribute(target, "unix:mode", f.getValue().mode());
      }
      Optional<Path> old = Files.isSymbolicLink(dir.resolve(DATA))
          ? Optional.of(dir.resolve(Files.readSymbolicLink(dir.resolve(DATA)))) : Optional.empty();
      Path tmp = dir.resolve(DATA_TMP);
      Files.deleteIfExists(tmp);
      Files.createSymbolicLink(tmp, version.getFileName());
      try {
        Files.move(tmp, dir.resolve(DATA), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new InternalException("swap " + dir.resolve(DATA) + ": " + e.getMessage(), e);
      }
      if (old.isPresent() && !old.get().equals(version)) {
        FileTrees.delete(old.get());
      }
      tidy(dir, wanted);
      return true;
    } catch (IOException e) {
      throw new InternalException("write volume files in " + dir + ": " + e.getMessage(), e);
    }
  }

  /// Whether the volume has been written at least once.
  public static boolean written(Path dir) {
    return Files.isSymbolicLink(dir.resolve(DATA));
  }

  /// The directory that holds the volume's files now (what `..data` points to), for a subPath into it.
  public static Path dataDir(Path dir) {
    try {
      return dir.resolve(Files.readSymbolicLink(dir.resolve(DATA)).getFileName());
    } catch (IOException e) {
      throw new InternalException("volume " + dir + " has no files yet: " + e.getMessage(), e);
    }
  }

  /// Makes the top-level links of `files`, removes links no longer wanted and versions `..data` no
  /// longer points to (a writer killed half-way leaves both), so every call ends in the same layout.
  private static void tidy(Path dir, Map<String, VolumeFiles.File> files) throws IOException {
    Set<String> top = new HashSet<>();
    files.keySet().forEach(p -> top.add(p.split("/")[0]));
    for (String name : top) {
      Path link = dir.resolve(name);
      if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(link, Path.of(DATA, name));
      }
    }
    String current = Files.readSymbolicLink(dir.resolve(DATA)).getFileName().toString();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String name = p.getFileName().toString();
        if (!name.startsWith("..") && !top.contains(name) && Files.isSymbolicLink(p)) {
          Files.delete(p);
        } else if (name.startsWith("..") && !name.equals(DATA) && !name.equals(current)) {
          FileTrees.delete(p);
        }
      }
    }
  }

  private static void makeDirs(Path version, Path dir) throws IOException {
    for (Path p = dir; p != null && p.startsWith(version) && !p.equals(version); p = p.getParent()) {
      Files.setAttribute(p, "unix:mode", 0755);
    }
  }

  /// What the volume holds now (null if never written).
  private static Map<String, VolumeFiles.File> current(Path dir) throws IOException {
    Path data = dir.resolve(DATA);
    if (!Files.isSymbolicLink(data)) {
      return null;
    }
    Path version = dir.resolve(Files.readSymbolicLink(data));
    Map<String, VolumeFiles.File> files = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(version)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        int mode = (Integer) Files.getAttribute(p, "unix:mode") & 0777;
        files.put(version.relativize(p).toString(), new VolumeFiles.File(Files.readAllBytes(p), mode));
      }
    }
    return files;
  }
}
