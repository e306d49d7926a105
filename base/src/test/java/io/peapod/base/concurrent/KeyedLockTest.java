package io.peapod.base.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KeyedLockTest {
  private final KeyedLock<String> locks = new KeyedLock<>();

  @Test
  void sharedWork_onOneKey_runsSideBySide() throws Exception {
    CountDownLatch bothIn = new CountDownLatch(2);
    Thread a = Thread.ofPlatform().start(() -> locks.withSharedLock("pod", () -> arriveAndAwait(bothIn)));
    Thread b = Thread.ofPlatform().start(() -> locks.withSharedLock("pod", () -> arriveAndAwait(bothIn)));
    a.join(5000);
    b.join(5000);
    assertEquals(0, bothIn.getCount(), "the second shared holder got in while the first held the lock");
  }

  @Test
  void exclusiveWork_waitsForSharedWork() throws Exception {
    CountDownLatch sharedIn = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean exclusiveRan = new AtomicBoolean();
    Thread shared = Thread.ofPlatform().start(() -> locks.withSharedLock("pod", () -> {
      sharedIn.countDown();
      awaitQuietly(release);
    }));
    assertTrue(sharedIn.await(5, TimeUnit.SECONDS));
    Thread exclusive = Thread.ofPlatform().start(() -> locks.withLock("pod", () -> exclusiveRan.set(true)));
    exclusive.join(200);
    assertFalse(exclusiveRan.get(), "exclusive work ran while shared work held the key");
    release.countDown();
    exclusive.join(5000);
    shared.join(5000);
    assertTrue(exclusiveRan.get());
  }

  @Test
  void otherKeys_areNotHeldUp() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch in = new CountDownLatch(1);
    Thread holder = Thread.ofPlatform().start(() -> locks.withLock("a", () -> {
      in.countDown();
      awaitQuietly(release);
    }));
    assertTrue(in.await(5, TimeUnit.SECONDS));
    assertEquals("done", locks.withLock("b", () -> "done"));
    release.countDown();
    holder.join(5000);
  }

  @Test
  void locks_areForgottenWhenNobodyHoldsThem() {
    for (int i = 0; i < 1000; i++) {
      locks.withLock("pod-" + i, () -> { });
      locks.withSharedLock("pod-" + i, () -> { });
    }
    assertEquals(0, locks.size());
  }

  private static void arriveAndAwait(CountDownLatch latch) {
    latch.countDown();
    awaitQuietly(latch);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
