package io.peapod.testing;

import io.peapod.sys.ProcessWatcher;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntConsumer;

/// A [ProcessWatcher] over pretend processes: the pids in [#alive] exist, and one ends when a test calls
/// [#exit], which reports it if it was watched.
public final class FakeProcessWatcher implements ProcessWatcher {
  public final Set<Integer> alive = ConcurrentHashMap.newKeySet();
  private final Set<Integer> watched = ConcurrentHashMap.newKeySet();
  private final IntConsumer onExit;

  public FakeProcessWatcher(IntConsumer onExit) {
    this.onExit = onExit;
  }

  @Override
  public boolean watch(int pid) {
    if (!alive.contains(pid)) {
      return false;
    }
    watched.add(pid);
    return true;
  }

  @Override
  public void unwatch(int pid) {
    watched.remove(pid);
  }

  public boolean watching(int pid) {
    return watched.contains(pid);
  }

  public void exit(int pid) {
    alive.remove(pid);
    if (watched.remove(pid)) {
      onExit.accept(pid);
    }
  }

  @Override
  public void close() {}
}
