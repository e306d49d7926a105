package io.peapod.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ApiClientTest {
  @TempDir
  Path dir;

  /// Both ways the CLI connects: the JDK's channels, and the socket library the build made.
  static Stream<Connection.Connector> connectors() {
    return Stream.of(Connection.Connector.NIO, NativeConnectionTest.connector());
  }

  @ParameterizedTest
  @MethodSource("connectors")
  void aRequestTheDaemonRefusesBeforeReadingItsBodyReportsTheDaemonsReason(Connection.Connector connector)
      throws Exception {
    Path socket = dir.resolve("api.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      Thread daemon = Thread.ofPlatform().start(() -> refuseAfterTheHead(server));

      // Far more than the socket buffers hold, so the client is still writing when the daemon closes.
      byte[] body = new byte[32 << 20];
      InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
          () -> new ApiClient(socket, connector).json("POST", "/v1/apply", Map.of(), body));

      assertEquals("body of 33554432 bytes is too large", e.getMessage());
      daemon.join();
    }
  }

  private static void refuseAfterTheHead(ServerSocketChannel server) {
    try (SocketChannel c = server.accept()) {
      c.read(ByteBuffer.allocate(4096));
      String answer = "{\"error\":{\"code\":\"invalid_argument\",\"message\":\"body of 33554432 bytes is too large\"}}";
      c.write(ByteBuffer.wrap(("HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\nContent-Length: "
          + answer.length() + "\r\nConnection: close\r\n\r\n" + answer).getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
