package io.peapod.base.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackOffTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final BackOff backOff = new BackOff(Duration.ofSeconds(10), Duration.ofSeconds(300), () -> now);

  @Test
  void failed_doublesFromInitial_upToTheCap() {
    assertEquals(Duration.ofSeconds(10), backOff.failed("pod/a"));
    assertEquals(Duration.ofSeconds(20), backOff.failed("pod/a"));
    Duration d = Duration.ZERO;
    for (int i = 0; i < 8; i++) {
      d = backOff.failed("pod/a");
    }
    assertEquals(Duration.ofSeconds(300), d);
  }

  @Test
  void active_untilTheDelayHasPassed_andPerKey() {
    backOff.failed("pod/a");
    assertTrue(backOff.active("pod/a"));
    assertFalse(backOff.active("pod/b"));
    now = now.plusSeconds(10);
    assertFalse(backOff.active("pod/a"), "over once the delay has passed");
  }

  @Test
  void resetAndForget_clearIt() {
    backOff.failed("pod/a");
    backOff.reset("pod/a");
    assertFalse(backOff.active("pod/a"));
    assertEquals(Duration.ofSeconds(10), backOff.failed("pod/a"), "a reset starts again at the initial delay");
    backOff.failed("other/x");
    backOff.forget("pod/");
    assertFalse(backOff.active("pod/a"));
    assertTrue(backOff.active("other/x"), "forget drops only its prefix");
  }
}
