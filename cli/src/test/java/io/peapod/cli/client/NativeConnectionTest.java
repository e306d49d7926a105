package io.peapod.cli.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The socket library the build made (target/libpeapod-cli.so), against a JDK server socket.
class NativeConnectionTest {
  @TempDir
  Path dir;

  static Connection.Connector connector() {
    NativeSocket.load(Path.of("target/libpeapod-cli.so"));
    return NativeConnection::open;
  }

  @Test
  void bytesGoBothWaysAndShutdownOutputEndsTheServersInputOnly() throws Exception {
    Path socket = dir.resolve("s.sock");
    try (ServerSocketChannel server = listen(socket)) {
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> echoUpper(server));
      try (Connection c = connector().connect(socket)) {
        byte[] sent = "x".repeat(40_000).getBytes(StandardCharsets.US_ASCII);  // more than one 16 KiB call
        c.out().write(sent);
        c.shutdownOutput();

        assertArrayEquals("X".repeat(40_000).getBytes(StandardCharsets.US_ASCII), c.in().readAllBytes());
        assertEquals(40_000, received.get(10, TimeUnit.SECONDS).length());
      }
    }
  }

  @Test
  void closingEndsAReadBlockedInAnotherThreadAndLaterCallsFail() throws Exception {
    Path socket = dir.resolve("s.sock");
    try (ServerSocketChannel server = listen(socket)) {
      Connection c = connector().connect(socket);
      try (SocketChannel peer = server.accept()) {
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
          try {
            return c.in().read(new byte[10]);
          } catch (IOException e) {
            return -2;
          }
        });
        Thread.sleep(100);  // the reader is blocked in read(2) by now, or soon will be: either way it must end
        c.close();

        assertEquals(-1, (int) read.get(10, TimeUnit.SECONDS));
        IOException e = assertThrows(IOException.class, () -> c.out().write(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertEquals(-1, peer.read(ByteBuffer.allocate(1)), "the daemon's side sees the end");
      }
    }
  }

  @Test
  void aMissingSocketIsTheSystemsMessage() {
    IOException e = assertThrows(IOException.class, () -> connector().connect(dir.resolve("absent.sock")));

    assertEquals("No such file or directory", e.getMessage());
    assertTrue(Files.notExists(dir.resolve("absent.sock")));
  }

  private static ServerSocketChannel listen(Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    return server;
  }

  private static String echoUpper(ServerSocketChannel server) {
    try (SocketChannel c = server.accept()) {
      StringBuilder all = new StringBuilder();
      ByteBuffer b = ByteBuffer.allocate(8192);
      while (c.read(b) >= 0) {
        b.flip();
        all.append(StandardCharsets.US_ASCII.decode(b));
        b.clear();
      }
      c.write(ByteBuffer.wrap(all.toString().toUpperCase().getBytes(StandardCharsets.US_ASCII)));
      return all.toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
