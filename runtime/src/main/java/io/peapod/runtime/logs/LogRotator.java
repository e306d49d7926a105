package io.peapod.runtime.logs;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.api.ContainerLogFiles;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/// Keeps container logs within kubelet's `containerLogMaxSize` and `containerLogMaxFiles`.
///
/// conmon starts a log file afresh once it would pass the size (`--log-size-max`): it writes a new
/// file and renames it over the old name, so the old file's only name is gone. The rotator keeps a
/// second, hidden name on each live file (`.0.log.live`, a hard link): when conmon replaces `0.log`,
/// inotify reports the rename, and the old file, still reachable through the hidden name, becomes
/// `0.log.<UTC time>` as kubelet names rotated files. Files beyond the limit, oldest first, are
/// deleted. So no byte is lost to a rotation and no polling happens; a burst faster than the daemon
/// can react loses at most the generations in between, never the bound on disk.
public final class LogRotator implements AutoCloseable {
  private static final Logger LOG = System.getLogger(LogRotator.class.getName());
  private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS")
      .withZone(ZoneOffset.UTC);
  private final int maxFiles;
  private final Clock clock;
  private final WatchService watch;
  /// Tracked live log files by directory, and the watch key of each directory.
  private final Map<Path, List<Path>> byDir = new ConcurrentHashMap<>();
  private final Map<Path, WatchKey> keys = new ConcurrentHashMap<>();
  private final Thread thread;

  public LogRotator(int maxFiles, Clock clock) {
    this.maxFiles = Math.max(1, maxFiles);
    this.clock = clock;
    try {
      this.watch = FileSystems.getDefault().newWatchService();
    } catch (IOException e) {
      throw new InternalException("start log rotation: " + e.getMessage(), e);
    }
    this.thread = Thread.ofPlatform().daemon().name("log-rotator").start(this::loop);
  }

  /// Starts keeping `log` (which conmon has opened) within bounds; a rotation that happened while nobody
  /// watched is finished first.
  public synchronized void track(Path log) {
    Path dir = log.getParent();
    try {
      if (!keys.containsKey(dir)) {
        keys.put(dir, dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE));
      }
      List<Path> logs = byDir.computeIfAbsent(dir, d -> new ArrayList<>());
      if (!logs.contains(log)) {
        logs.add(log);
      }
      rotate(log);
    } catch (IOException e) {
      throw new InternalException("watch log directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /// Stops keeping `log` bounded (its container ended); the file and its rotations stay for `logs`.
  public synchronized void untrack(Path log) {
    Path dir = log.getParent();
    List<Path> logs = byDir.get(dir);
    if (logs != null) {
      logs.remove(log);
      if (logs.isEmpty()) {
        byDir.remove(dir);
        WatchKey k = keys.remove(dir);
        if (k != null) {
          k.cancel();
        }
      }
    }
    deleteQuietly(hidden(log));
  }

  /// Deletes a log file with its rotated files and hidden name.
  public synchronized void delete(Path log) {
    untrack(log);
    for (Path p : rotated(log)) {
      deleteQuietly(p);
    }
    deleteQuietly(log);
  }

  /// Makes a pod's or container's log directory as kubelet keeps them (0755, whatever the daemon's
  /// umask): `<logs>/<namespace>_<pod>_<uid>/<container>/`. The files in them are conmon's, 0600.
  public static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
      Files.setAttribute(dir, "unix:mode", 0755);
      if (dir.getParent() != null) {
        Files.setAttribute(dir.getParent(), "unix:mode", 0755);
      }
    } catch (IOException e) {
      throw new InternalException("create log directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /// The rotated files of `log`, oldest first.
  public static List<Path> rotated(Path log) {
    return ContainerLogFiles.rotated(log);
  }

  private static Path hidden(Path log) {
    return log.resolveSibling("." + log.getFileName() + ".live");
  }

  /// If conmon replaced the live file, gives the old one its rotated name; then links the live file
  /// and prunes.
  private void rotate(Path log) throws IOException {
    Path hidden = hidden(log);
    if (!Files.exists(log)) {
      return;
    }
    if (Files.exists(hidden) && !Files.isSameFile(hidden, log)) {
      Path target = log.resolveSibling(ContainerLogFiles.rotatedName(log, SUFFIX.format(clock.instant())));
      Files.move(hidden, target);
      LOG.log(Logger.Level.DEBUG, "rotated {0} to {1}", log, target.getFileName());
    }
    if (!Files.exists(hidden)) {
      Files.createLink(hidden, log);
    }
    List<Path> old = rotated(log);
    for (int i = 0; i < old.size() - (maxFiles - 1); i++) {
      deleteQuietly(old.get(i));
    }
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> ev : key.pollEvents()) {
          if (ev.context() instanceof Path name) {
            changed(dir.resolve(name));
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized void changed(Path file) {
    List<Path> logs = byDir.get(file.getParent());
    if (logs == null || !logs.contains(file)) {
      return;
    }
    try {
      rotate(file);
    } catch (IOException e) {
      LOG.log(Logger.Level.WARNING, "rotate log " + file + " failed: " + e.getMessage());
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.log(Logger.Level.WARNING, "remove " + p + " failed: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
      thread.join();
    } catch (IOException e) {
      throw new InternalException("stop log rotation", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
