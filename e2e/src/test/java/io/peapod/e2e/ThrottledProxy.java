package io.peapod.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/// A TCP proxy on loopback that passes the upstream's answers at a fixed rate, so a test can act in the
/// middle of a download (kill the daemon) that would otherwise be over in a blink.
final class ThrottledProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final int bytesPerSecond;

  ThrottledProxy(int upstreamPort, int bytesPerSecond) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.upstreamPort = upstreamPort;
    this.bytesPerSecond = bytesPerSecond;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  String host() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        Thread.ofVirtual().start(() -> pipe(client, upstream, Integer.MAX_VALUE));
        Thread.ofVirtual().start(() -> pipe(upstream, client, bytesPerSecond));
      } catch (IOException closed) {
        return;
      }
    }
  }

  /// Copies until either side closes, then closes both.
  private static void pipe(Socket from, Socket to, int rate) {
    byte[] buf = new byte[16 << 10];
    try (from; to; InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      long start = System.nanoTime();
      long sent = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        sent += n;
        long due = sent * 1_000_000_000L / rate - (System.nanoTime() - start);
        if (due > 0) {
          Thread.sleep(due / 1_000_000, (int) (due % 1_000_000));
        }
      }
    } catch (IOException | InterruptedException gone) {
      // One side went away (a killed client or registry): the other is closed with it.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
