package io.peapod.runtime.monitor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/// `<bundle>/monitor.pid`: the pid of the process that watches a container, conmon or the pod's
/// monitor, written by that process, so a restarted daemon finds it again.
public final class MonitorPid {
  private MonitorPid() {}

  public static Path file(Path bundle) {
    return bundle.resolve("monitor.pid");
  }

  /// The pid the monitor wrote, if it got that far.
  public static Optional<Integer> read(Path bundle) {
    // Containers started before the pod monitor came have their conmon's pid under its old name.
    Path file = Files.exists(file(bundle)) ? file(bundle) : bundle.resolve("conmon.pid");
    try {
      String s = Files.readString(file).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
