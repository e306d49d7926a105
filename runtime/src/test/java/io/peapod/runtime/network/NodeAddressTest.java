package io.peapod.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class NodeAddressTest {
  @Test
  void cached_looksUpOncePerInterval() {
    AtomicInteger lookups = new AtomicInteger();
    AtomicLong now = new AtomicLong(0);
    Supplier<String> address = NodeAddress.cached(() -> "192.0.2." + lookups.incrementAndGet(), Duration.ofSeconds(10),
        now::get);
    assertEquals("192.0.2.1", address.get());
    now.set(Duration.ofSeconds(9).toNanos());
    assertEquals("192.0.2.1", address.get(), "within the interval the first answer stands");
    now.set(Duration.ofSeconds(10).toNanos());
    assertEquals("192.0.2.2", address.get(), "a changed address is seen after the interval");
    assertEquals(2, lookups.get());
  }
}
