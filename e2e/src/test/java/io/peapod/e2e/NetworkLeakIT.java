package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// 200 pods with a published port, created and deleted in turn on a 30-address subnet: addresses are
/// reused, and nothing (veth, lease, netns pin, iptables rule, mount, cgroup) is left behind.
@RequiresRoot
class NetworkLeakIT {
  @Test
  void createDeleteLoop_reusesAddresses_andLeavesNothing() throws Exception {
    try (TestDaemon daemon = TestDaemon.start(27)) {
      daemon.importBusybox();
      Path m = daemon.writeManifest("loop.yaml", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: loop
          spec:
            containers:
            - name: c
              image: busybox
              command: ['sleep', '3600']
              ports: [{containerPort: 80, hostPort: 28080}]
          """);
      Map<String, Integer> uses = new HashMap<>();
      for (int i = 0; i < 200; i++) {
        daemon.cli("apply", "-f", m.toString(), "--wait").ok();
        uses.merge(daemon.pod("loop").get("status").get("podIP").text(""), 1, Integer::sum);
        daemon.cli("delete", "pod", "loop", "--grace-period=0").ok();
      }
      assertTrue(uses.size() <= 30, "a /27 has at most 30 pod addresses: " + uses.keySet());
      assertTrue(uses.values().stream().anyMatch(n -> n > 1), "addresses were reused");
      assertEquals(List.of(), daemon.leftovers());
    }
  }
}
