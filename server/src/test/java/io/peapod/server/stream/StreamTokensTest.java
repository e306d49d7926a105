package io.peapod.server.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.cri.stream.StreamRequest;
import io.peapod.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamTokensTest {
  private final ManualClock clock = new ManualClock();
  private final StreamTokens tokens = new StreamTokens(clock);
  private final StreamRequest exec = new StreamRequest.Exec("c1", List.of("sh"), false, false, true, true);

  @Test
  void aTokenIsGoodOnce() {
    String t = tokens.issue(exec);
    assertTrue(t.matches("[A-Za-z0-9_-]{43}"), "256 random bits, URL-safe: " + t);
    assertEquals(Optional.of(exec), tokens.take(t));
    assertEquals(Optional.empty(), tokens.take(t));
    assertNotEquals(t, tokens.issue(exec));
  }

  @Test
  void anUnusedTokenExpires() {
    String t = tokens.issue(exec);
    clock.advance(StreamTokens.TTL.plus(Duration.ofMillis(1)));
    assertEquals(Optional.empty(), tokens.take(t));
  }
}
