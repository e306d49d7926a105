package io.peapod.base.concurrent;

import io.peapod.base.error.InternalException;
import java.util.concurrent.atomic.AtomicReference;

/// Runs work on a platform thread of its own and waits for it: for calls that change the calling OS
/// thread (entering a namespace with setns(2) or unshare(2)), which on a virtual thread would change its
/// carrier and so every virtual thread that runs there next. What the work throws is thrown here.
public final class OwnThread {
  private OwnThread() {}

  public static void run(String name, Runnable work) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name(name).start(() -> {
      try {
        work.run();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    });
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted while waiting for thread " + name, e);
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
