package io.peapod.server.http;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/// How many bytes of request bodies the server holds at once, across all connections: each body may be
/// 3 MiB, and a few large ones in parallel must not exhaust the daemon's heap. A request whose body
/// does not fit waits a little for others to finish, then gets a 503.
final class BodyBudget {
  private final Semaphore kib;
  private final Duration wait;

  BodyBudget(long bytes, Duration wait) {
    this.kib = new Semaphore((int) Math.min(Integer.MAX_VALUE, bytes / 1024));
    this.wait = wait;
  }

  Reservation reservation() {
    return new Reservation();
  }

  /// One request's share, given back when the request has been answered.
  final class Reservation implements AutoCloseable {
    private long bytes;
    private int held;

    /// Reserves room for `more` bytes of this request's body.
    void grow(long more) throws HttpProtocolException {
      bytes += more;
      int needed = (int) Math.min(Integer.MAX_VALUE, (bytes + 1023) / 1024) - held;
      if (needed <= 0) {
        return;
      }
      try {
        if (!kib.tryAcquire(needed, wait.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new HttpProtocolException(503, "the daemon is reading too many large requests at once; try again");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HttpProtocolException(503, "interrupted while waiting to read the request body");
      }
      held += needed;
    }

    @Override
    public void close() {
      kib.release(held);
      held = 0;
    }
  }
}
