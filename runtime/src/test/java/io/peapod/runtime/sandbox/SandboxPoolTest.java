package io.peapod.runtime.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.PodSandboxConfig;
import io.peapod.runtime.api.PortMapping;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.api.SandboxState;
import io.peapod.runtime.api.SandboxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class SandboxPoolTest {
  /// Makes sandboxes as rows in a list; fails the next `failures` makes.
  private static final class FakeMaker implements SandboxPool.Maker {
    final List<SandboxStatus> rows = Collections.synchronizedList(new ArrayList<>());
    final List<String> removed = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failures = new AtomicInteger();
    final Set<String> dead = ConcurrentHashMap.newKeySet();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public void awaitQuiet() {
    }

    @Override
    public String make(PodSandboxConfig config) {
      if (failures.getAndDecrement() > 0) {
        throw new InternalException("CNI ADD failed", null);
      }
      String id = String.format("%064d", ids.incrementAndGet());
      rows.add(new SandboxStatus(id, config, SandboxState.READY, Instant.now(), "", 1, ""));
      return id;
    }

    @Override
    public void remove(String id) {
      removed.add(id);
      rows.removeIf(r -> r.id().equals(id));
    }

    @Override
    public List<SandboxStatus> all() {
      return List.copyOf(rows);
    }

    @Override
    public boolean ready(String id) {
      return !dead.contains(id);
    }

    long pooled(String parent) {
      return all().stream().filter(s -> SandboxPool.pooled(s) && s.config().cgroupParent().equals(parent)).count();
    }
  }

  private static final List<String> PARENTS = List.of("kubepods/besteffort", "kubepods/burstable", "kubepods");
  private final FakeMaker maker = new FakeMaker();

  private static PodSandboxConfig pod(String parent) {
    return new PodSandboxConfig("web", "default", "u1", 0, "web", "/var/log/pods/x", new NamespaceOptions(
        NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD), List.of(), new DnsConfig(List.of(), List.of(),
        List.of()), Map.of(), Map.of(), parent, new Resources(2, 0, 0, 0, 0), Map.of());
  }

  private static void eventually(BooleanSupplier check) throws InterruptedException {
    for (int i = 0; i < 500 && !check.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertTrue(check.getAsBoolean());
  }

  @Test
  void fills_thenHandsOut_andRefills() throws Exception {
    try (SandboxPool pool = new SandboxPool(2, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 2);
      Optional<String> taken = pool.take(pod("kubepods/besteffort"));
      assertTrue(taken.isPresent());
      eventually(() -> maker.rows.size() == 3);
    }
  }

  @Test
  void podsThatNeedWhatThePoolCannotSetLater_getNone() throws Exception {
    PodSandboxConfig base = pod("kubepods/besteffort");
    assertTrue(SandboxPool.fits(base));
    assertFalse(SandboxPool.fits(new PodSandboxConfig("w", "d", "u", 0, "w", "/l", new NamespaceOptions(
        NamespaceMode.NODE, NamespaceMode.CONTAINER, NamespaceMode.POD), List.of(), base.dns(), Map.of(), Map.of(),
        base.cgroupParent(), base.podResources(), Map.of())), "hostNetwork");
    assertFalse(SandboxPool.fits(new PodSandboxConfig("w", "d", "u", 0, "w", "/l", base.namespaces(), List.of(
        new PortMapping("TCP", 80, 8080, "")), base.dns(), Map.of(), Map.of(), base.cgroupParent(), base.podResources(),
        Map.of())), "hostPort");
    assertFalse(SandboxPool.fits(new PodSandboxConfig("w", "d", "u", 0, "w", "/l", base.namespaces(), List.of(),
        base.dns(), Map.of(), Map.of(), base.cgroupParent(), base.podResources(), Map.of("net.ipv4.ip_forward", "1"))),
        "sysctls");
    try (SandboxPool pool = new SandboxPool(2, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 2);
      assertEquals(Optional.empty(), pool.take(new PodSandboxConfig("w", "d", "u", 0, "w", "/l", base.namespaces(),
          List.of(), base.dns(), Map.of(), Map.of(), base.cgroupParent(), base.podResources(), Map.of("a.b", "1"))));
    }
  }

  @Test
  void aPodOfAnotherClass_turnsThePool() throws Exception {
    try (SandboxPool pool = new SandboxPool(2, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 2);
      assertEquals(Optional.empty(), pool.take(pod("kubepods/burstable")), "none of that class yet");
      eventually(() -> maker.pooled("kubepods/burstable") == 2 && maker.pooled("kubepods/besteffort") == 0);
      assertTrue(pool.take(pod("kubepods/burstable")).isPresent());
    }
  }

  @Test
  void aParentOutsideThePoolsClasses_neverGetsNorTurnsIt() throws Exception {
    try (SandboxPool pool = new SandboxPool(2, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 2);
      assertEquals(Optional.empty(), pool.take(pod("kubepods/besteffort/pod-of-a-cri-caller")));
      Thread.sleep(100);
      assertEquals(2, maker.pooled("kubepods/besteffort"));
      assertEquals(0, maker.pooled("kubepods/besteffort/pod-of-a-cri-caller"));
    }
  }

  @Test
  void aSandboxWhosePauseDied_isPassedOver_andRemoved() throws Exception {
    try (SandboxPool pool = new SandboxPool(2, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 2);
      String first = maker.all().getFirst().id();
      maker.dead.add(first);
      Optional<String> taken = pool.take(pod("kubepods/besteffort"));
      assertTrue(taken.isPresent());
      assertFalse(taken.get().equals(first), "the dead one is not handed out");
      eventually(() -> maker.removed.contains(first));
    }
  }

  @Test
  void aSandboxThatDiesInAFullPool_isReplacedWithoutWaitingForAPod() throws Exception {
    try (SandboxPool pool = new SandboxPool(1, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 1);
      String first = maker.all().getFirst().id();
      maker.dead.add(first);
      for (int i = 0; i < 700 && !maker.removed.contains(first); i++) {
        Thread.sleep(10);
      }
      assertTrue(maker.removed.contains(first), "the dead sandbox was removed");
      eventually(() -> maker.pooled("kubepods/besteffort") == 1);
    }
  }

  @Test
  void start_removesWhatADeadDaemonPooled_andClose_removesThePool() throws Exception {
    String stale = maker.make(SandboxPool.config("kubepods/besteffort"));
    String podOwned = maker.make(pod("kubepods/besteffort"));
    SandboxPool pool = new SandboxPool(1, PARENTS, maker);
    pool.start();
    assertTrue(maker.removed.contains(stale));
    assertFalse(maker.removed.contains(podOwned), "a pod's sandbox is not the pool's");
    eventually(() -> maker.pooled("kubepods/besteffort") == 1);
    pool.close();
    assertEquals(0, maker.pooled("kubepods/besteffort"));
    assertEquals(List.of(podOwned), maker.all().stream().map(SandboxStatus::id).toList());
  }

  @Test
  void aFailedMake_isTriedAgain() throws Exception {
    maker.failures.set(1);
    try (SandboxPool pool = new SandboxPool(1, PARENTS, maker)) {
      pool.start();
      eventually(() -> maker.pooled("kubepods/besteffort") == 1);
    }
  }

  @Test
  void aPoolOfNone_makesNothing() {
    SandboxPool pool = new SandboxPool(0, PARENTS, maker);
    pool.start();
    assertEquals(Optional.empty(), pool.take(pod("kubepods/besteffort")));
    pool.close();
    assertEquals(List.of(), maker.rows);
  }
}
