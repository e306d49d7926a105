package io.peapod.server.http;

import io.peapod.base.error.InternalException;
import io.peapod.base.log.RateLimitedLog;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/// Serves HTTP/1.1 on a unix socket, one request per connection, each on its own virtual thread, with
/// the limits a daemon exposed to any local client needs: a cap on connections (at the cap the oldest
/// one still sending its headers is dropped for the new one; if every connection is busy the new one is
/// refused with 503), a deadline for the headers and one for the body, bounded header and body sizes,
/// and an accept loop that backs off when the process runs out of descriptors instead of spinning. A
/// request it cannot read gets a 4xx that says why. Log lines that a client can provoke are rate-limited.
public final class UnixHttpServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(UnixHttpServer.class.getName());

  /// @param maxConnections connections served at once
  /// @param headerTimeout from accepting a connection to the end of its request's headers
  /// @param bodyTimeout from the end of the headers to the end of the body
  public record Limits(int maxConnections, Duration headerTimeout, Duration bodyTimeout) {
    public static final Limits DEFAULT = new Limits(1024, Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  private enum Phase { HEADERS, BODY, HANDLING }

  private static final class Connection {
    final SocketChannel channel;
    volatile Phase phase = Phase.HEADERS;
    volatile ScheduledFuture<?> deadline;

    Connection(SocketChannel channel) {
      this.channel = channel;
    }

    void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Closing a socket the peer already dropped: nothing is left to release.
      }
    }
  }

  /// Buffer of a connection's request head.
  private static final int HEAD_BUFFER = 1024;
  private static final long LINGER_BYTES = 128 * 1024;
  private final Path socket;
  private final ServerSocketChannel channel;
  private final HttpHandler handler;
  private final Function<Throwable, HttpResponse> errors;
  private final Limits limits;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final ScheduledThreadPoolExecutor deadlines;
  /// Open connections, oldest first; guarded by itself.
  private final Set<Connection> open = new LinkedHashSet<>();
  private final RateLimitedLog acceptFailures = new RateLimitedLog(LOG, Duration.ofSeconds(10), Clock.systemUTC());
  private final RateLimitedLog overload = new RateLimitedLog(LOG, Duration.ofSeconds(10), Clock.systemUTC());
  private final RateLimitedLog protocol = new RateLimitedLog(LOG, Duration.ofSeconds(10), Clock.systemUTC());
  private final Thread acceptor;
  /// At most this many bytes of request bodies in memory at once: one of the largest. Three applies of 4 MiB
  /// at once ran an 80 MiB heap out (docs/benchmarks.md, daemon memory).
  private final BodyBudget bodies = new BodyBudget(HttpRequestReader.MAX_BODY_BYTES, Duration.ofSeconds(10));

  /// Binds `socket` with the given mode (`rw-------` by default) and starts accepting.
  public UnixHttpServer(Path socket, String permissions, HttpHandler handler, Function<Throwable, HttpResponse> errors,
      Limits limits) throws IOException {
    this.socket = socket;
    this.handler = handler;
    this.errors = errors;
    this.limits = limits;
    this.deadlines = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("api-deadlines").factory());
    deadlines.setRemoveOnCancelPolicy(true);
    Files.createDirectories(socket.getParent());
    refuseIfServing(socket);
    Files.deleteIfExists(socket);
    this.channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket), 512);
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(permissions));
    this.acceptor = Thread.ofPlatform().name("api-accept").start(this::acceptLoop);
  }

  /// A socket file left by a killed daemon is replaced; one that answers belongs to a live daemon.
  private static void refuseIfServing(Path socket) {
    if (!Files.exists(socket)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      throw new InternalException("another daemon is serving " + socket + "; stop it or use --run-root", null);
    } catch (IOException stale) {
      LOG.log(Logger.Level.INFO, "replacing stale socket {0}", socket);
    }
  }

  private void acceptLoop() {
    long backOffMillis = 0;
    while (channel.isOpen()) {
      SocketChannel c;
      try {
        c = channel.accept();
        backOffMillis = 0;
      } catch (AsynchronousCloseException closed) {
        return;
      } catch (IOException | RuntimeException e) {
        // Out of descriptors (EMFILE) and the like: wait for connections to end rather than spin, and never
        // let the one accepting thread die. (Out of heap, the daemon exits: bin/peapod.)
        backOffMillis = Math.min(1000, Math.max(10, backOffMillis * 2));
        acceptFailures.log(Logger.Level.WARNING, "accept on " + socket + " failed: " + e.getMessage() + "; retrying in "
            + backOffMillis + " ms");
        sleep(backOffMillis);
        continue;
      }
      admit(c);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void admit(SocketChannel c) {
    Connection conn = new Connection(c);
    Optional<Connection> evicted = Optional.empty();
    synchronized (open) {
      if (open.size() >= limits.maxConnections()) {
        evicted = open.stream().filter(o -> o.phase == Phase.HEADERS).findFirst();
        if (evicted.isEmpty()) {
          overload.log(Logger.Level.WARNING, "refusing a connection on " + socket + ": " + open.size()
              + " requests are being served");
          refuse(c);
          return;
        }
        open.remove(evicted.get());
      }
      open.add(conn);
    }
    evicted.ifPresent(e -> {
      overload.log(Logger.Level.WARNING, "dropped an idle connection on " + socket + " for a new one: "
          + limits.maxConnections() + " connections are open");
      e.close();
    });
    connections.submit(() -> serve(conn));
  }

  private static void refuse(SocketChannel c) {
    try (c; OutputStream out = Channels.newOutputStream(c)) {
      HttpAnswers.writeError(out, 503, "unavailable", "the daemon is serving too many requests; try again");
    } catch (IOException e) {
      // The refused client went away first.
    }
  }

  private void serve(Connection conn) {
    conn.deadline = deadlines.schedule(() -> timeOut(conn, "request headers", limits.headerTimeout()),
        limits.headerTimeout().toMillis(), TimeUnit.MILLISECONDS);
    try (SocketChannel c = conn.channel; BodyBudget.Reservation body = bodies.reservation()) {
      // An idle connection holds a small buffer for its request head and none for its answer yet: a body
      // bypasses the buffer (reads larger than it go straight to the channel).
      InputStream in = new BufferedInputStream(new SlicedInputStream(Channels.newInputStream(c)), HEAD_BUFFER);
      OutputStream out = new LazyBufferedOutputStream(new SlicedOutputStream(Channels.newOutputStream(c)),
          SlicedOutputStream.SLICE);
      Optional<HttpRequest> req;
      try {
        req = HttpRequestReader.read(in, out, () -> {
          conn.phase = Phase.BODY;
          conn.deadline.cancel(false);
          conn.deadline = deadlines.schedule(() -> timeOut(conn, "request body", limits.bodyTimeout()),
              limits.bodyTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }, body);
      } catch (HttpProtocolException e) {
        protocol.log(Logger.Level.INFO, "bad request on " + socket + ": " + e.getMessage());
        HttpAnswers.writeError(out, e.status(), switch (e.status()) {
          case 501 -> "unimplemented";
          case 503 -> "unavailable";
          default -> "invalid_argument";
        }, e.getMessage());
        linger(conn, in);
        return;
      }
      conn.deadline.cancel(false);
      if (req.isEmpty()) {
        return;
      }
      conn.phase = Phase.HANDLING;
      HttpResponse resp;
      try {
        resp = handler.handle(req.get());
      } catch (Exception | Error e) {
        resp = errors.apply(e);
      }
      if (resp instanceof HttpResponse.Streamed) {
        HttpAnswers.writeUntilClientLeaves(resp, in, out);
      } else {
        HttpAnswers.write(resp, out);
      }
    } catch (IOException e) {
      protocol.log(Logger.Level.DEBUG, "connection on " + socket + " ended: " + e.getMessage());
    } finally {
      conn.deadline.cancel(false);
      synchronized (open) {
        open.remove(conn);
      }
    }
  }

  /// A refused client may still be sending what was refused, and closing with its bytes unread resets the
  /// connection, which can cost the client the answer. So the answer's side is shut, and up to
  /// [#LINGER_BYTES] more are read and dropped, for at most a second (a lingering close, RFC 9112 9.6).
  private void linger(Connection conn, InputStream in) {
    conn.phase = Phase.HEADERS;
    conn.deadline.cancel(false);
    conn.deadline = deadlines.schedule(conn::close, 1, TimeUnit.SECONDS);
    try {
      conn.channel.shutdownOutput();
      byte[] sink = new byte[HEAD_BUFFER];
      long left = LINGER_BYTES;
      for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
        left -= n;
      }
    } catch (IOException e) {
      // The client left, or the second passed: there is nothing more to wait for.
    }
  }

  /// A client too slow to send its request gets a 408 saying so, then the connection is closed (which
  /// ends the reader blocked on it). The answer is small enough for an empty socket buffer: it never blocks.
  private void timeOut(Connection conn, String what, Duration limit) {
    protocol.log(Logger.Level.INFO, "closing a connection on " + socket + ": no complete " + what + " within "
        + limit.toSeconds() + " s");
    try {
      OutputStream out = Channels.newOutputStream(conn.channel);
      HttpAnswers.writeError(out, 408, "invalid_argument", "no complete " + what + " within " + limit.toSeconds() + " s");
    } catch (IOException e) {
      // The slow client is gone already.
    }
    conn.close();
  }

  /// How many connections are open now (for tests and metrics).
  public int openConnections() {
    synchronized (open) {
      return open.size();
    }
  }

  @Override
  public void close() {
    try {
      channel.close();
      acceptor.join();
      synchronized (open) {
        open.forEach(Connection::close);
        open.clear();
      }
      connections.shutdownNow();
      deadlines.shutdownNow();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new InternalException("close API socket " + socket, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
