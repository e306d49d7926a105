package io.peapod.server.stream;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/// Kubernetes' port-forward protocol over SPDY (`portforward.k8s.io`), as kubelet serves it: the client
/// opens a pair of streams per forwarded connection, `streamtype` error and data, with the same `port`
/// and `requestid`; each pair becomes one TCP connection in the pod. A port outside the request's ports
/// (when it named any) or one nobody listens on is reported on the pair's error stream.
final class SpdyPortForward implements AutoCloseable {
  static final List<String> PROTOCOLS = List.of("portforward.k8s.io");
  private static final Logger LOG = System.getLogger(SpdyPortForward.class.getName());
  private final IntFunction<SocketChannel> dial;
  private final List<Integer> allowed;
  private final Map<String, SpdyStream[]> pairs = new ConcurrentHashMap<>();
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

  SpdyPortForward(List<Integer> allowed, IntFunction<SocketChannel> dial) {
    this.allowed = List.copyOf(allowed);
    this.dial = dial;
  }

  /// Called by the connection's reader for each stream; a complete pair starts its connection.
  void opened(SpdyStream s) {
    String key = s.header("requestid").isEmpty() ? s.header("port") : s.header("requestid");
    SpdyStream[] pair = pairs.computeIfAbsent(key, k -> new SpdyStream[2]);
    synchronized (pair) {
      pair[s.header("streamtype").equals("data") ? 0 : 1] = s;
      if (pair[0] != null && pair[1] != null) {
        pairs.remove(key);
        Thread.ofPlatform().daemon().name("cri-stream-forward").start(() -> forward(pair[0], pair[1]));
      }
    }
  }

  private void forward(SpdyStream data, SpdyStream error) {
    String port = data.header("port");
    SocketChannel target;
    try {
      target = dial.apply(allowedPort(port));
    } catch (RuntimeException e) {
      data.discardInput();
      error.discardInput();
      report(error, e.getMessage());
      close(data);
      return;
    }
    error.discardInput();
    try (target) {
      open.add(target);
      Thread up = Thread.ofPlatform().daemon().name("cri-stream-forward").start(() -> upstream(data, target));
      ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
      while (target.read(buf.clear()) >= 0) {
        data.write(buf.array(), buf.position());
      }
      // The pod's side closed: the stream ends now, as kubelet ends it; the client's side may still send
      // until it closes its own.
      close(data);
      close(error);
      up.join();
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "port-forward to {0} ended: {1}", port, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(target);
      close(data);
      close(error);
    }
  }

  private int allowedPort(String port) {
    int p;
    try {
      p = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("port '" + port + "' is not a number");
    }
    if (!allowed.isEmpty() && !allowed.contains(p)) {
      throw new IllegalArgumentException("port " + p + " was not among the ports asked for " + allowed);
    }
    return p;
  }

  private void upstream(SpdyStream data, SocketChannel target) {
    byte[] buf = new byte[32 * 1024];
    try {
      InputStream from = data.input();
      int n;
      while ((n = from.read(buf)) >= 0) {
        target.write(ByteBuffer.wrap(buf, 0, n));
      }
      target.shutdownOutput();
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "port-forward client side ended: {0}", e.getMessage());
      data.discardInput();
    }
  }

  private static void report(SpdyStream error, String message) {
    try {
      byte[] b = message.getBytes(StandardCharsets.UTF_8);
      error.write(b, b.length);
      error.closeOutput();
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "could not report a port-forward error: {0}", e.getMessage());
    }
  }

  private static void close(SpdyStream s) {
    try {
      s.closeOutput();
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "close stream: {0}", e.getMessage());
    }
  }

  /// The client went away: every connection it had open in the pod ends.
  @Override
  public void close() {
    for (SocketChannel c : open) {
      try {
        c.close();
      } catch (IOException e) {
        LOG.log(Logger.Level.DEBUG, "close a port-forward connection: {0}", e.getMessage());
      }
    }
  }
}
