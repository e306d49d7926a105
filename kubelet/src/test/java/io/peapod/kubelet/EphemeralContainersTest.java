package io.peapod.kubelet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.runtime.api.ContainerStdio;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// Ephemeral containers as `debug` adds them: started once in the running pod (in the target's process
/// namespace), never restarted, kept by a later apply, refused when they would be made on create or
/// changed by apply; and `stdin`/`tty` reach the runtime.
class EphemeralContainersTest {
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata: {name: web}
      spec:
        containers:
        - {name: main, image: busybox, command: [sleep], stdin: true, stdinOnce: true, tty: true}
      """;
  @TempDir
  Path tmp;
  private KubeletHarness h;

  @BeforeEach
  void start() throws Exception {
    h = new KubeletHarness(tmp);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void debug_startsOnceInTheTargetsPidNamespace_andIsNeverRestarted() {
    h.apply(POD);
    String main = h.runtime.running("main").orElseThrow().id();
    assertEquals(new ContainerStdio(true, true, true), h.runtime.config(main).stdio());
    h.kubelet.addEphemeralContainer("default", "web", Map.of("name", "dbg", "image", "busybox", "command",
        List.of("sh"), "targetContainerName", "main"));
    var dbg = h.runtime.running("dbg").orElseThrow();
    assertEquals(Optional.of(main), h.runtime.config(dbg.id()).pidTarget());
    assertEquals(List.of("dbg"), h.pod("web").ephemeralContainers().stream().map(c -> c.name()).toList());
    assertEquals(1, h.pod("web").total(), "not counted in READY");
    h.runtime.exit(dbg.id(), 1);
    h.advanceSeconds(30);
    assertEquals(1, h.runtime.instances("dbg").size(), "an ephemeral container runs once");
    assertTrue(h.runtime.running("main").isPresent());

    assertEquals("pod/web unchanged", h.kubelet.apply(POD, "test.yaml").results().getFirst(),
        "apply keeps the ephemeral containers it does not name");
    assertEquals(1, h.pod("web").ephemeralContainers().size());
  }

  @Test
  void ephemeralContainers_refusedOnCreate_onChange_andWithPodOnlyFields() {
    var create = assertThrows(InvalidArgumentException.class, () -> h.apply(POD + """
          ephemeralContainers:
          - {name: dbg, image: busybox}
        """));
    assertTrue(create.getMessage().contains("cannot be set on create"), create.getMessage());
    h.apply(POD);
    var ports = assertThrows(InvalidArgumentException.class, () -> h.kubelet.addEphemeralContainer("default", "web",
        Map.of("name", "dbg", "image", "busybox", "ports", List.of(Map.of("containerPort", 80)))));
    assertTrue(ports.getMessage().contains(".ports Forbidden: cannot be set for an Ephemeral Container"), ports.getMessage());
    var target = assertThrows(InvalidArgumentException.class, () -> h.kubelet.addEphemeralContainer("default", "web",
        Map.of("name", "dbg", "image", "busybox", "targetContainerName", "nope")));
    assertTrue(target.getMessage().contains("'nope' is not a container of this pod"), target.getMessage());
    h.kubelet.addEphemeralContainer("default", "web", Map.of("name", "dbg", "image", "busybox"));
    var changed = assertThrows(InvalidArgumentException.class, () -> h.apply(POD + """
          ephemeralContainers:
          - {name: other, image: busybox}
        """));
    assertTrue(changed.getMessage().contains("not changed by apply"), changed.getMessage());
    h.kubelet.delete("default", "web", Optional.empty(), false, false);
    assertThrows(RuntimeException.class, () -> h.kubelet.addEphemeralContainer("default", "web",
        Map.of("name", "late", "image", "busybox")));
  }

  @Test
  void stdinOnceWithoutStdin_meansNothing_asInKubernetes() {
    h.apply(POD.replace("stdin: true, ", ""));
    String main = h.runtime.running("main").orElseThrow().id();
    assertEquals(new ContainerStdio(false, false, true), h.runtime.config(main).stdio());
  }

  @Test
  void aContainerWithoutStdio_keepsTheHashItHadBeforeStdioWasHonoured() {
    var plain = new io.peapod.kubelet.manifest.ManifestParser().parse(POD.replace("stdin: true, stdinOnce: true, tty:"
        + " true", "tty: false"), "t").pods().getFirst().pod().containers().getFirst();
    String before = plain.toString().replace(", stdio=" + ContainerStdio.NONE + "]", "]");
    assertEquals(Integer.toHexString(before.hashCode()), io.peapod.kubelet.podspec.RuntimeConfigs.hash(plain));
  }
}
