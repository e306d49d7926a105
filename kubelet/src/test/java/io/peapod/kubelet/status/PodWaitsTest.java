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
    waits.setContainers("uid", Map.of("a", PULLING, "b", PULLING));

    waits.made("uid", "a");
    assertEquals(Map.of("b", PULLING), waits.containers("uid"));

    waits.made("uid", "b");
    assertEquals(Map.of(), waits.containers("uid"));

    waits.made("other", "a");
    assertEquals(Map.of(), waits.containers("other"));
  }
}
