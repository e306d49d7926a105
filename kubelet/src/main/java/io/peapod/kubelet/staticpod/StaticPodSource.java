package io.peapod.kubelet.staticpod;

import io.peapod.base.concurrent.Timers;
import io.peapod.base.error.PeapodException;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/// kubelet's `staticPodPath`: a directory of manifests whose pods the node runs without anyone asking
/// through the API. A file added starts its pod, a changed file replaces it, a removed file deletes it.
/// The directory is watched with inotify (changes are read once they settle, 200 ms after the last
/// event) and read again every 20 s, as kubelet does, so a directory made later is picked up too.
public final class StaticPodSource implements AutoCloseable {
  private static final Logger LOG = System.getLogger(StaticPodSource.class.getName());
  private static final Duration SETTLE = Duration.ofMillis(200);
  private static final Duration PERIOD = Duration.ofSeconds(20);

  /// What the source asks of the kubelet.
  public interface Target {
    /// Makes the file's pod run (replacing the one it made before); returns false when that must wait
    /// (the old pod is still being deleted), and the file is tried again on the next read.
    boolean applyStatic(Path file, String yaml);

    void removeStatic(Path file);
  }

  private final Path dir;
  private final Target target;
  private final Timers timers;
  private final Map<Path, String> applied = new HashMap<>();
  private final Map<Path, String> pending = new HashMap<>();
  private WatchService watch;
  private Thread thread;
  private volatile boolean closed;
  private Timers.Cancellable settle = () -> { };
  /// The next periodic read; one at a time, however reads are triggered.
  private Timers.Cancellable next = () -> { };

  public StaticPodSource(Path dir, Target target, Timers timers) {
    this.dir = dir;
    this.target = target;
    this.timers = timers;
  }

  public synchronized void start() {
    rescan();
  }

  private synchronized void rescan() {
    if (closed) {
      return;
    }
    try {
      if (!Files.isDirectory(dir)) {
        applied.keySet().forEach(target::removeStatic);
        applied.clear();
        return;
      }
      watch();
      Map<Path, String> now = new HashMap<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(StaticPodSource::isManifest).sorted().toList()) {
          now.put(f, Files.readString(f));
        }
      }
      for (Path gone : applied.keySet().stream().filter(f -> !now.containsKey(f)).toList()) {
        LOG.log(Logger.Level.INFO, "static pod file {0} removed", gone);
        target.removeStatic(gone);
        applied.remove(gone);
      }
      for (Map.Entry<Path, String> e : now.entrySet()) {
        if (e.getValue().equals(applied.get(e.getKey()))) {
          continue;
        }
        try {
          if (target.applyStatic(e.getKey(), e.getValue())) {
            applied.put(e.getKey(), e.getValue());
            pending.remove(e.getKey());
          } else {
            pending.put(e.getKey(), e.getValue());
          }
        } catch (PeapodException bad) {
          if (!bad.getMessage().equals(pending.get(e.getKey()))) {
            LOG.log(Logger.Level.WARNING, "static pod file {0} not applied: {1}", e.getKey(), bad.getMessage());
          }
          pending.put(e.getKey(), bad.getMessage());
          applied.put(e.getKey(), e.getValue());
        }
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.WARNING, "read static pod directory {0}: {1}", dir, e.getMessage());
    } finally {
      next.cancel();
      next = timers.schedule(pending.isEmpty() ? PERIOD : Duration.ofSeconds(1), this::rescan);
    }
  }

  private static boolean isManifest(Path f) {
    String n = f.getFileName().toString();
    return !n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json"))
        && Files.isRegularFile(f);
  }

  private void watch() throws IOException {
    if (watch != null) {
      return;
    }
    watch = FileSystems.getDefault().newWatchService();
    dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
        StandardWatchEventKinds.ENTRY_DELETE);
    WatchService w = watch;
    thread = Thread.ofPlatform().daemon().name("static-pods").start(() -> loop(w));
  }

  private void loop(WatchService w) {
    try {
      while (true) {
        WatchKey key = w.take();
        key.pollEvents();
        boolean valid = key.reset();
        synchronized (this) {
          settle.cancel();
          settle = timers.schedule(SETTLE, this::rescan);
          if (!valid) {
            watch = null;
            return;
          }
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    settle.cancel();
    next.cancel();
    if (watch != null) {
      try {
        watch.close();
      } catch (IOException e) {
        LOG.log(Logger.Level.WARNING, "close static pod watch: " + e.getMessage());
      }
    }
  }
}
