package io.peapod.base.concurrent;

import io.peapod.base.error.InternalException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/// Runs work on a platform thread of its own and waits for it: for calls that change the calling OS
/// thread (entering a namespace with setns(2) or unshare(2)), which on a virtual thread would change its
/// carrier and so every virtual thread that runs there next. What the work throws is thrown here.
public final class OwnThread {
  private OwnThread() {}

  public static void run(String name, Runnable work) {
    call(name, () -> {
      work.run();
      return null;
    });
  }

  /// Also for a blocking native call (a read from a socket) made by a virtual thread, which would hold
  /// its carrier, and so one of the few threads every other virtual thread runs on, while it waits.
  public static <T> T call(String name, Supplier<T> work) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    AtomicReference<T> result = new AtomicReference<>();
    Thread t = Thread.ofPlatform().name(name).start(() -> {
      try {
        result.set(work.get());
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
    return result.get();
  }
}
