package io.peapod.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.testing.Mutations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpRequestReaderTest {
  private static Optional<HttpRequest> read(String raw) throws Exception {
    return read(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  private static Optional<HttpRequest> read(byte[] raw) throws Exception {
    try (BodyBudget.Reservation budget = new BodyBudget(256L << 20, java.time.Duration.ZERO).reservation()) {
      return HttpRequestReader.read(new ByteArrayInputStream(raw), new ByteArrayOutputStream(), () -> {}, budget);
    }
  }

  @Test
  void chunkedBody_isJoined() throws Exception {
    HttpRequest r = read("POST /v1/apply?source=x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nTrailer: t\r\n\r\n").orElseThrow();
    assertEquals("hello world", new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("x", r.param("source").orElseThrow());
  }

  @Test
  void contentLengthBody_isRead_andAnEmptyConnectionIsNoRequest() throws Exception {
    HttpRequest r = read("POST /p HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc").orElseThrow();
    assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), r.body());
    assertTrue(read("").isEmpty());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "GARBAGE|400|malformed request line",
      "G@T / HTTP/1.1\\r\\n\\r\\n|400|malformed method",
      "GET nopath HTTP/1.1\\r\\n\\r\\n|400|must be a path",
      "GET / HTTP/1.1\\r\\nNoColon\\r\\n\\r\\n|400|malformed header line",
      "GET / HTTP/1.1\\r\\nHost: a\\r\\nHost: b\\r\\n\\r\\n|400|given twice",
      "POST / HTTP/1.1\\r\\nContent-Length: abc\\r\\n\\r\\n|400|is not a number",
      "POST / HTTP/1.1\\r\\nContent-Length: -1\\r\\n\\r\\n|400|negative",
      "POST / HTTP/1.1\\r\\nContent-Length: 99999999999\\r\\n\\r\\n|413|larger than",
      "POST / HTTP/1.1\\r\\nContent-Length: 10\\r\\n\\r\\nabc|400|body ended after 3 of 10 bytes",
      "POST / HTTP/1.1\\r\\nContent-Length: 1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n|400|both Content-Length",
      "POST / HTTP/1.1\\r\\nTransfer-Encoding: gzip\\r\\n\\r\\n|400|is not supported",
      "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\nzz\\r\\n|400|not hexadecimal",
      "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n5\\r\\nab|400|chunk ended after",
      "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nabXY|400|not followed by CRLF",
      "POST / HTTP/1.1\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n|400|without its last chunk",
      "GET /?a=%zz HTTP/1.1\\r\\n\\r\\n|400|malformed query string",
      "GET / HTTP/1.1\\r\\nHost: a|400|before the end of the headers"})
  void malformedRequests_areRefusedWithTheStatusAndWhatIsWrong(String raw, int status, String message) {
    HttpProtocolException e = assertThrows(HttpProtocolException.class, () -> read(raw.translateEscapes()));
    assertEquals(status, e.status(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void oversizedHeaders_are431() {
    String many = "GET / HTTP/1.1\r\n" + java.util.stream.IntStream.range(0, 200)
        .mapToObj(i -> "X-" + i + ": v\r\n").reduce("", String::concat) + "\r\n";
    assertEquals(431, assertThrows(HttpProtocolException.class, () -> read(many)).status());
    String huge = "GET / HTTP/1.1\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n";
    assertEquals(431, assertThrows(HttpProtocolException.class, () -> read(huge)).status());
    String hugeChunk = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffff\r\n";
    assertEquals(413, assertThrows(HttpProtocolException.class, () -> read(hugeChunk)).status());
    String overflow = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n7fffffffffffffff\r\n";
    assertEquals(413, assertThrows(HttpProtocolException.class, () -> read(overflow)).status());
  }

  @Test
  void manySmallChunks_areOneBody_notAHeaderOverflow() throws Exception {
    StringBuilder b = new StringBuilder("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 20_000; i++) {
      b.append("4\r\nabcd\r\n");
    }
    b.append("0\r\n\r\n");
    assertEquals(80_000, read(b.toString()).orElseThrow().body().length);
  }

  @Test
  void bodiesBeyondTheBudget_wait_thenAre503() throws Exception {
    BodyBudget budget = new BodyBudget(1024 * 1024, java.time.Duration.ofMillis(10));
    try (BodyBudget.Reservation first = budget.reservation()) {
      first.grow(1024 * 1024);
      try (BodyBudget.Reservation second = budget.reservation()) {
        HttpProtocolException e = assertThrows(HttpProtocolException.class, () -> second.grow(1));
        assertEquals(503, e.status());
      }
    }
    try (BodyBudget.Reservation again = budget.reservation()) {
      again.grow(1024 * 1024);
    }
  }

  /// Seeded, so a failure repeats: mutations of valid requests either read as a request or are refused
  /// with a 4xx; nothing else escapes (no runtime exception, no 5xx).
  @Test
  void fuzz_mutatedRequests_areReadOrRefusedWithA4xx() throws Exception {
    String[] seeds = {
        "GET /v1/pods/default/p/logs?tail=5&container=c HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /v1/apply?source=f HTTP/1.1\r\nContent-Length: 11\r\n\r\nkind: Pod\n\n",
        "POST /v1/apply HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nkind\r\n0\r\n\r\n",
        "DELETE /v1/pods/default/p?grace=3&force=true HTTP/1.1\r\n\r\n"};
    long seed = Long.getLong("peapod.fuzz.seed", 20261203L);
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      byte[] b = Mutations.mutate(seeds[random.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1), random);
      try {
        read(b);
      } catch (HttpProtocolException e) {
        assertTrue(e.status() >= 400 && e.status() < 500, "seed " + seed + " case " + i + ": " + e.status());
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("seed " + seed + " case " + i + " threw " + e + " for "
            + new String(b, StandardCharsets.ISO_8859_1).translateEscapes(), e);
      }
    }
  }
}
