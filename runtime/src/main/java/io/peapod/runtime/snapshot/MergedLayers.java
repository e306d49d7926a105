package io.peapod.runtime.snapshot;

import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/// A file as a container's overlay would show it before the container writes anything, read from the
/// image's unpacked layers without mounting them (a container's overlay is mounted only in its own mount
/// namespace). The topmost layer holding the path decides, as in overlayfs: a regular file there is the
/// file; anything else there (a whiteout, which is a character device, a directory, a symlink) means there
/// is none; a directory on the way marked opaque hides every layer below it. A symlink on the way is
/// refused, not followed: it could lead out of the image.
public final class MergedLayers {
  private static final String OPAQUE = "trusted.overlay.opaque";
  private final List<Path> lowestFirst;
  private final Syscalls sys;

  public MergedLayers(List<Path> lowestFirst, Syscalls sys) {
    this.lowestFirst = List.copyOf(lowestFirst);
    this.sys = sys;
  }

  /// The lines of the file at `relative` (`etc/passwd`) as UTF-8, a byte that is not read as U+FFFD (a
  /// GECOS field in Latin-1 does not hide the rest); empty when the merged view has no regular file there or
  /// it cannot be read. A layer whose extended attributes cannot be read fails the lookup rather than guess.
  public List<String> lines(String relative) {
    return file(relative).map(f -> {
      try {
        return new String(Files.readAllBytes(f), StandardCharsets.UTF_8).lines().toList();
      } catch (IOException e) {
        return List.<String>of();
      }
    }).orElse(List.of());
  }

  /// The layer's copy of the file the merged view shows at `relative`.
  Optional<Path> file(String relative) {
    List<String> parts = Arrays.stream(relative.split("/")).filter(p -> !p.isEmpty()).toList();
    if (parts.isEmpty() || parts.contains("..") || parts.contains(".")) {
      return Optional.empty();
    }
    for (Path layer : lowestFirst.reversed()) {
      Path p = layer;
      boolean hidesBelow = false;
      for (int i = 0; i < parts.size(); i++) {
        p = p.resolve(parts.get(i));
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
          break;
        }
        boolean last = i == parts.size() - 1;
        if (last) {
          return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
        }
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          return Optional.empty();
        }
        if (opaque(p)) {
          hidesBelow = true;
        }
      }
      if (hidesBelow) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  private boolean opaque(Path dir) {
    return sys.getXattr(dir, OPAQUE).filter(v -> new String(v, StandardCharsets.US_ASCII).equals("y")).isPresent();
  }
}
