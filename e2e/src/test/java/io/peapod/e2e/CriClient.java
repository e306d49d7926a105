package io.peapod.e2e;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.peapod.cri.v1.ImageServiceGrpc;
import io.peapod.cri.v1.RuntimeServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/// A CRI client as kubelet and crictl are: grpc-java over the daemon's unix socket, plus a WebSocket
/// client for the streaming server's channel protocols.
final class CriClient implements AutoCloseable {
  private final EpollEventLoopGroup group = new EpollEventLoopGroup(1);
  private final ManagedChannel channel;
  final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
  final RuntimeServiceGrpc.RuntimeServiceStub runtimeAsync;
  final ImageServiceGrpc.ImageServiceBlockingStub images;

  CriClient(Path socket) {
    channel = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
        .channelType(EpollDomainSocketChannel.class).eventLoopGroup(group).usePlaintext().build();
    runtime = RuntimeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    runtimeAsync = RuntimeServiceGrpc.newStub(channel);
    images = ImageServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
  }

  /// What a channel-protocol WebSocket delivered: bytes per channel (the channel byte taken off), and
  /// the close code once the server closed.
  record Channels(String protocol, Map<Integer, byte[]> data, int closeCode) {
    String text(int channel) {
      return new String(data.getOrDefault(channel, new byte[0]), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /// Connects to a streaming URL offering `protocols`, sends `send` (already channel-prefixed messages),
  /// and collects everything until the server closes (30 s at most).
  static Channels stream(String url, java.util.List<byte[]> send, String... protocols) throws Exception {
    Map<Integer, ByteArrayOutputStream> got = new TreeMap<>();
    CompletableFuture<Integer> closed = new CompletableFuture<>();
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    WebSocket.Listener listener = new WebSocket.Listener() {
      @Override
      public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
        byte[] b = new byte[data.remaining()];
        data.get(b);
        partial.writeBytes(b);
        if (last) {
          byte[] m = partial.toByteArray();
          partial.reset();
          if (m.length > 0) {
            got.computeIfAbsent(m[0] & 0xFF, k -> new ByteArrayOutputStream()).write(m, 1, m.length - 1);
          }
        }
        ws.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
        closed.complete(code);
        return null;
      }

      @Override
      public void onError(WebSocket ws, Throwable error) {
        closed.completeExceptionally(error);
      }
    };
    WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols(protocols[0],
        java.util.Arrays.copyOfRange(protocols, 1, protocols.length)).connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create(url.replaceFirst("^http", "ws")), listener).get(10, TimeUnit.SECONDS);
    for (byte[] m : send) {
      ws.sendBinary(ByteBuffer.wrap(m), true).get(10, TimeUnit.SECONDS);
    }
    int code = closed.get(30, TimeUnit.SECONDS);
    Map<Integer, byte[]> data = new TreeMap<>();
    got.forEach((k, v) -> data.put(k, v.toByteArray()));
    return new Channels(ws.getSubprotocol(), data, code);
  }

  static byte[] message(int channel, String text) {
    byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] m = new byte[t.length + 1];
    m[0] = (byte) channel;
    System.arraycopy(t, 0, m, 1, t.length);
    return m;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
  }
}
