package io.peapod.base.concurrent;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/// One lock per key: work on the same key runs one at a time, work on different keys in parallel.
/// Locks are kept for the life of this object; keys are few (pods, layers) so that is cheap.
public final class KeyedLock<K> {
  private final ConcurrentHashMap<K, ReentrantLock> locks = new ConcurrentHashMap<>();

  public <T> T withLock(K key, Supplier<T> work) {
    ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
    lock.lock();
    try {
      return work.get();
    } finally {
      lock.unlock();
    }
  }

  public void withLock(K key, Runnable work) {
    withLock(key, () -> {
      work.run();
      return null;
    });
  }
}
