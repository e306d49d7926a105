package io.peapod.kubelet.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/// A wait holds until the container's next instance is made: a status built between syncs (`get pod`)
/// must not show a container that already ran and ended as still waiting for its image.
class PodWaitsTest {
  private static final Waiting PULLING = new Waiting("ContainerCreating", "pulling image \"busybox\"");

  @Test
  void aMadeInstanceEndsItsContainersWaitAndOnlyThat() {
    PodWaits waits = new PodWaits();
    waits.setContainers("uid", Map.of("a", PULLING, "b", PULLING), waits.syncStart());

    waits.made("uid", "a");
    assertEquals(Map.of("b", PULLING), waits.containers("uid"));

    waits.made("uid", "b");
    assertEquals(Map.of(), waits.containers("uid"));

    waits.made("other", "a");
    assertEquals(Map.of(), waits.containers("other"));
  }

  /// A sync that found a container waiting, then made it, must not bring the wait back at its end.
  @Test
  void aSyncsWaitsLeaveOutWhatWasMadeSinceItBegan() {
    PodWaits waits = new PodWaits();
    long first = waits.syncStart();
    waits.made("uid", "a");
    waits.setContainers("uid", Map.of("a", PULLING, "b", PULLING), first);
    assertEquals(Map.of("b", PULLING), waits.containers("uid"));

    long next = waits.syncStart();
    waits.setContainers("uid", Map.of("a", PULLING), next);
    assertEquals(Map.of("a", PULLING), waits.containers("uid"), "a wait found after the instance was made holds");

    waits.forget("uid");
    waits.setContainers("uid", Map.of("a", PULLING), first);
    assertEquals(Map.of("a", PULLING), waits.containers("uid"), "a forgotten pod's instances count no more");
  }
}
