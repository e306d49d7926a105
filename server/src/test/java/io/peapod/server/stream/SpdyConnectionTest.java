package io.peapod.server.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.netty.shaded.io.netty.buffer.ByteBuf;
import io.grpc.netty.shaded.io.netty.buffer.Unpooled;
import io.grpc.netty.shaded.io.netty.channel.embedded.EmbeddedChannel;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyVersion;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/// The SPDY server side against netty's SPDY codec as the client: streams answered, their headers and
/// data read, and a client that opens too many streams or sends a huge header block refused.
class SpdyConnectionTest {
  private final EmbeddedChannel client = new EmbeddedChannel(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));

  private byte[] encode(List<Object> frames) {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    for (Object f : frames) {
      client.writeOutbound(f);
      ByteBuf b;
      while ((b = client.readOutbound()) != null) {
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        b.release();
        wire.writeBytes(bytes);
      }
    }
    return wire.toByteArray();
  }

  private List<Object> decode(byte[] wire) {
    client.writeInbound(Unpooled.wrappedBuffer(wire));
    List<Object> frames = new ArrayList<>();
    Object f;
    while ((f = client.readInbound()) != null) {
      frames.add(f);
    }
    return frames;
  }

  private static SpdySynStreamFrame syn(int id, String type) {
    SpdySynStreamFrame f = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
    f.headers().add("streamtype", type);
    return f;
  }

  @Test
  void streamsAreAnswered_andTheirHeadersAndDataRead() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<SpdyStream> opened = new ArrayList<>();
    byte[] wire = encode(List.of(syn(1, "stdin"), syn(3, "stdout"),
        new DefaultSpdyDataFrame(1, Unpooled.wrappedBuffer("hello".getBytes())).setLast(true)));
    try (SpdyConnection c = new SpdyConnection(new ByteArrayInputStream(wire), out)) {
      c.serve(opened::add);
    }
    assertEquals(List.of("stdin", "stdout"), opened.stream().map(s -> s.header("streamtype")).toList());
    assertEquals("hello", new String(opened.getFirst().input().readAllBytes()));
    assertEquals(2, decode(out.toByteArray()).stream().filter(f -> f instanceof SpdySynReplyFrame).count());
  }

  @Test
  void streamsOverTheLimit_areRefused() throws IOException {
    List<Object> frames = new ArrayList<>();
    for (int i = 0; i <= SpdyConnection.MAX_STREAMS; i++) {
      frames.add(syn(2 * i + 1, "data"));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<SpdyStream> opened = new ArrayList<>();
    try (SpdyConnection c = new SpdyConnection(new ByteArrayInputStream(encode(frames)), out)) {
      c.serve(opened::add);
    }
    assertEquals(SpdyConnection.MAX_STREAMS, opened.size());
    List<Object> answers = decode(out.toByteArray());
    assertTrue(answers.stream().anyMatch(f -> f instanceof SpdyRstStreamFrame r
        && r.streamId() == 2 * SpdyConnection.MAX_STREAMS + 1), answers.toString());
  }

  @Test
  void aHeaderBlockOverTheLimit_endsTheConnection() {
    SpdySynStreamFrame big = syn(1, "stdin");
    big.headers().add("padding", "x".repeat(SpdyConnection.MAX_HEADER_BLOCK));
    byte[] wire = encode(List.of(big));
    assertTrue(wire.length < 2048, "zlib makes it small on the wire: " + wire.length);
    assertThrows(IOException.class, () -> {
      try (SpdyConnection c = new SpdyConnection(new ByteArrayInputStream(wire), new ByteArrayOutputStream())) {
        c.serve(s -> { });
      }
    });
  }
}
