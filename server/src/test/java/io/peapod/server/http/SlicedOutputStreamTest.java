package io.peapod.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlicedOutputStreamTest {
  @Test
  void aLargeWriteReachesTheChannelInSlicesInOrder() throws IOException {
    List<Integer> writes = new ArrayList<>();
    ByteArrayOutputStream channel = new ByteArrayOutputStream() {
      @Override
      public synchronized void write(byte[] b, int off, int len) {
        writes.add(len);
        super.write(b, off, len);
      }
    };
    byte[] body = new byte[2 * SlicedOutputStream.SLICE + 123];
    new Random(7).nextBytes(body);

    try (SlicedOutputStream out = new SlicedOutputStream(channel)) {
      out.write(body, 0, body.length);
    }

    assertEquals(List.of(SlicedOutputStream.SLICE, SlicedOutputStream.SLICE, 123), writes);
    assertArrayEquals(body, channel.toByteArray());
  }
}
