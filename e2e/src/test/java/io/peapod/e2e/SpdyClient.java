package io.peapod.e2e;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyDataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/// A SPDY/3.1 client for the streaming server, framed by an independent implementation (netty's SPDY
/// codec, which grpc-netty-shaded carries): the upgrade, streams opened with `streamtype` headers, and
/// everything the server sends collected per stream until it ends them.
final class SpdyClient implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final EmbeddedChannel codec = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
  final String responseHead;
  final Map<Integer, ByteArrayOutputStream> received = new TreeMap<>();
  final Set<Integer> finished = new TreeSet<>();
  final Set<Integer> replied = new TreeSet<>();
  private int nextId = 1;

  SpdyClient(String url, String... protocols) throws IOException {
    URI u = URI.create(url);
    socket = new Socket(u.getHost(), u.getPort());
    socket.setSoTimeout(30_000);
    in = socket.getInputStream();
    out = socket.getOutputStream();
    StringBuilder req = new StringBuilder("GET " + u.getRawPath() + (u.getRawQuery() == null ? "" : "?"
        + u.getRawQuery()) + " HTTP/1.1\r\nHost: " + u.getAuthority() + "\r\nConnection: Upgrade\r\n"
        + "Upgrade: SPDY/3.1\r\n");
    for (String p : protocols) {
      req.append("X-Stream-Protocol-Version: ").append(p).append("\r\n");
    }
    out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String h = head.toString(StandardCharsets.ISO_8859_1);
    responseHead = h.startsWith("HTTP/1.1 101") ? h : h + new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /// Opens a stream with these headers; returns its id.
  int open(Map<String, String> headers) throws IOException {
    int id = nextId;
    nextId += 2;
    SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    headers.forEach((k, v) -> syn.headers().add(k, v));
    send(syn);
    return id;
  }

  void data(int stream, byte[] data, boolean fin) throws IOException {
    send(new DefaultSpdyDataFrame(stream, Unpooled.wrappedBuffer(data)).setLast(fin));
  }

  private void send(Object frame) throws IOException {
    codec.writeOutbound(frame);
    ByteBuf b;
    while ((b = codec.readOutbound()) != null) {
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      b.release();
      out.write(bytes);
    }
    out.flush();
  }

  /// Reads frames until `done` holds or the server closes the connection.
  void readUntil(java.util.function.BooleanSupplier done) throws IOException {
    byte[] buf = new byte[16384];
    while (!done.getAsBoolean()) {
      int n = in.read(buf);
      if (n < 0) {
        return;
      }
      codec.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
      Object f;
      while ((f = codec.readInbound()) != null) {
        if (f instanceof SpdyDataFrame d) {
          byte[] bytes = new byte[d.content().readableBytes()];
          d.content().readBytes(bytes);
          received.computeIfAbsent(d.streamId(), k -> new ByteArrayOutputStream()).writeBytes(bytes);
          if (d.isLast()) {
            finished.add(d.streamId());
          }
          d.release();
        } else if (f instanceof SpdySynReplyFrame r) {
          replied.add(r.streamId());
        }
      }
    }
  }

  String text(int stream) {
    ByteArrayOutputStream b = received.get(stream);
    return b == null ? "" : b.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    codec.finishAndReleaseAll();
    socket.close();
  }
}
