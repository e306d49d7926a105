package io.peapod.base.concurrent;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/// One read-write lock per key: exclusive work on a key runs alone, shared work on it side by side (a
/// pod's containers are made at once, while removing the pod excludes them all), and work on different
/// keys in parallel. A key's lock lives only while someone holds or waits for it, so the map does not
/// grow with every pod the node ever ran.
public final class KeyedLock<K> {
  private static final class Entry {
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    int users;
  }

  private final Map<K, Entry> entries = new HashMap<>();

  /// Runs `work` holding the key's lock alone.
  public <T> T withLock(K key, Supplier<T> work) {
    return with(key, false, work);
  }

  public void withLock(K key, Runnable work) {
    withLock(key, () -> {
      work.run();
      return null;
    });
  }

  /// Runs `work` beside other shared work on the key, but never beside exclusive work. Exclusive work
  /// may not be started from inside it on the same key (a read lock cannot be upgraded).
  public <T> T withSharedLock(K key, Supplier<T> work) {
    return with(key, true, work);
  }

  public void withSharedLock(K key, Runnable work) {
    withSharedLock(key, () -> {
      work.run();
      return null;
    });
  }

  private <T> T with(K key, boolean shared, Supplier<T> work) {
    Entry e;
    synchronized (entries) {
      e = entries.computeIfAbsent(key, k -> new Entry());
      e.users++;
    }
    Lock lock = shared ? e.lock.readLock() : e.lock.writeLock();
    try {
      lock.lock();
      try {
        return work.get();
      } finally {
        lock.unlock();
      }
    } finally {
      synchronized (entries) {
        if (--e.users == 0) {
          entries.remove(key);
        }
      }
    }
  }

  /// How many keys have a lock now (for tests).
  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
