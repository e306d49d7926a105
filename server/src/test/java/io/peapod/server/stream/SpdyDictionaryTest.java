package io.peapod.server.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/// The SPDY/3 dictionary must match every peer's to the byte; compared with netty's copy (carried by
/// grpc-netty-shaded), an implementation written apart from ours.
class SpdyDictionaryTest {
  @Test
  void matchesNettysSpdy3Dictionary() throws Exception {
    Class<?> util = Class.forName("io.grpc.netty.shaded.io.netty.handler.codec.spdy.SpdyCodecUtil");
    Field dict = util.getDeclaredField("SPDY_DICT");
    dict.setAccessible(true);
    byte[] netty = (byte[]) dict.get(null);
    assertEquals(1423, SpdyDictionary.bytes().length);
    assertArrayEquals(netty, SpdyDictionary.bytes());
  }
}
