package io.peapod.runtime.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/// kubelet's layout of one container instance's log: the live file (`<container>/<attempt>.log`, CRI
/// format) and its rotated files beside it, `<attempt>.log.<UTC yyyyMMdd-HHmmss.SSS>`, which the
/// runtime makes and `logs` reads.
public final class ContainerLogFiles {
  private ContainerLogFiles() {}

  public static String rotatedName(Path live, String utcSuffix) {
    return live.getFileName() + "." + utcSuffix;
  }

  /// The rotated files of `live`, oldest first (their suffixes sort by time).
  public static List<Path> rotated(Path live) {
    Pattern name = Pattern.compile(Pattern.quote(live.getFileName().toString()) + "\\.\\d{8}-\\d{6}\\.\\d{3}");
    try (Stream<Path> s = Files.list(live.getParent())) {
      // Not conmon's `0.log.tmp`, which it renames over the live file a moment later.
      return s.filter(p -> name.matcher(p.getFileName().toString()).matches()).sorted().toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("list rotated logs of " + live, e);
    }
  }
}
