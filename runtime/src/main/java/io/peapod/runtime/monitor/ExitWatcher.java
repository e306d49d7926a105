package io.peapod.runtime.monitor;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/// Watches conmon's exit directory (inotify, through `WatchService`) and reports each container's exit
/// code once. Waiters can also block on one container's exit, bounded by a timeout.
public final class ExitWatcher implements AutoCloseable {
  private static final Logger LOG = System.getLogger(ExitWatcher.class.getName());

  /// Called once per exit file.
  @FunctionalInterface
  public interface Listener {
    void exited(String containerId, int exitCode, Instant at);
  }

  private static final Pattern CONTAINER_ID = Pattern.compile("[0-9a-f]{64}");
  private final Path dir;
  private final WatchService watch;
  private final ConcurrentHashMap<String, CompletableFuture<Integer>> waiters = new ConcurrentHashMap<>();
  private volatile Listener listener = (id, code, at) -> { };
  private Thread thread;

  /// Watches from now on; exits are reported to the listener given to [#start].
  public ExitWatcher(Path dir) {
    this.dir = dir;
    try {
      Files.createDirectories(dir);
      this.watch = FileSystems.getDefault().newWatchService();
      dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException e) {
      throw new InternalException("watch exit directory " + dir, e);
    }
  }

  /// Starts reporting exits to `listener` (events since construction are reported too).
  public synchronized void start(Listener listener) {
    this.listener = listener;
    if (thread == null) {
      thread = Thread.ofPlatform().daemon().name("exit-watcher").start(this::loop);
    }
  }

  /// The recorded exit code, if conmon has written one.
  public Optional<Integer> exitCode(String containerId) {
    try {
      String s = Files.readString(dir.resolve(containerId)).trim();
      return s.isEmpty() ? Optional.empty() : Optional.of(Integer.parseInt(s));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      throw new InternalException("read exit file of " + containerId, e);
    }
  }

  /// When conmon wrote the exit file: for exits that happened while the daemon was not watching.
  public Instant exitTime(String containerId) {
    try {
      return Files.getLastModifiedTime(dir.resolve(containerId)).toInstant();
    } catch (IOException e) {
      return Instant.now();
    }
  }

  /// A future completed with the exit code when the container exits (at once if it already has).
  public CompletableFuture<Integer> onExit(String containerId) {
    CompletableFuture<Integer> f = waiters.computeIfAbsent(containerId, k -> new CompletableFuture<>());
    exitCode(containerId).ifPresent(f::complete);
    return f;
  }

  public void forget(String containerId) {
    waiters.remove(containerId);
    try {
      Files.deleteIfExists(dir.resolve(containerId));
    } catch (IOException e) {
      throw new InternalException("remove exit file of " + containerId, e);
    }
  }

  private void loop() {
    try {
      while (true) {
        WatchKey key = watch.take();
        for (WatchEvent<?> ev : key.pollEvents()) {
          if (ev.context() instanceof Path name) {
            deliver(name.toString());
          }
        }
        key.reset();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(String id) {
    // conmon writes the file under a temporary name first and renames it to the container id.
    if (!CONTAINER_ID.matcher(id).matches()) {
      return;
    }
    try {
      Optional<Integer> code = exitCode(id);
      if (code.isEmpty()) {
        return;
      }
      // Seen as it happens: the daemon's clock, the one start times come from, not the file's coarse mtime.
      listener.exited(id, code.get(), Instant.now());
      waiters.computeIfAbsent(id, k -> new CompletableFuture<>()).complete(code.get());
    } catch (RuntimeException e) {
      LOG.log(Logger.Level.ERROR, "record exit of container " + id, e);
    }
  }

  @Override
  public void close() {
    try {
      watch.close();
      if (thread != null) {
        thread.join();
      }
    } catch (IOException e) {
      throw new InternalException("close exit watcher", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
