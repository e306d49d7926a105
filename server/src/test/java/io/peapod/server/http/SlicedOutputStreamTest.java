package io.peapod.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// The API's channel streams: large writes and reads reach the channel in slices.
class SlicedOutputStreamTest {
  private static final int SLICE = SlicedOutputStream.SLICE;
  private final List<Integer> writes = new ArrayList<>();
  private final ByteArrayOutputStream channel = new ByteArrayOutputStream() {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      writes.add(len);
      super.write(b, off, len);
    }
  };

  @Test
  void aLargeWriteReachesTheChannelInSlicesInOrder() throws IOException {
    byte[] body = random(2 * SLICE + 123 + 5);

    try (SlicedOutputStream out = new SlicedOutputStream(channel)) {
      out.write(body, 5, body.length - 5);
      out.write(body, 0, 0);
    }

    assertEquals(List.of(SLICE, SLICE, 123), writes);
    assertArrayEquals(Arrays.copyOfRange(body, 5, body.length), channel.toByteArray());
  }

  @Test
  void aSingleByteAndABadRangeAreHandledLikeAnyStream() throws IOException {
    SlicedOutputStream out = new SlicedOutputStream(channel);
    out.write('x');
    assertThrows(IndexOutOfBoundsException.class, () -> out.write(new byte[10], 8, 3));
    assertArrayEquals(new byte[] {'x'}, channel.toByteArray());
  }

  @Test
  void aLargeReadAsksTheChannelForOneSliceAtATime() throws IOException {
    byte[] body = random(3 * SLICE);
    List<Integer> asked = new ArrayList<>();
    InputStream source = new ByteArrayInputStream(body) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        asked.add(len);
        return super.read(b, off, len);
      }
    };

    byte[] read = new SlicedInputStream(source).readNBytes(body.length);

    assertArrayEquals(body, read);
    assertEquals(SLICE, asked.stream().mapToInt(Integer::intValue).max().orElseThrow());
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(7).nextBytes(b);
    return b;
  }
}
