package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Bad input gets a clear error (what, where, how to fix), exit code 2, and changes nothing.
class BadInputIT extends SharedDaemon {
  private CliResult apply(String name, String yaml) throws Exception {
    Path m = daemon.writeManifest(name, yaml);
    return daemon.cli("apply", "-f", m.toString());
  }

  private void assertNothingCreated() throws Exception {
    assertEquals("", daemon.cli("get", "pods", "-A").ok().out());
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void brokenYaml_namesLineAndColumn() throws Exception {
    CliResult r = apply("broken.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n spec: [\n");
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("broken.yaml") && r.err().contains("line "), r.err());
    assertNothingCreated();
  }

  @Test
  void malformedImageReference_namesTheField_andLeavesNothing() throws Exception {
    CliResult r = apply("badimage.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: badimage
        spec:
          containers:
          - name: a
            image: busybox
            command: ['sleep', '3600']
          - name: b
            image: Example.org/UPPER/case:1.0
        """);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("badimage.yaml") && r.err().contains("spec.containers[1] 'b'.image"), r.err());
    assertNothingCreated();
  }

  @Test
  void podNameNotDnsLabel_isRefused() throws Exception {
    CliResult r = apply("badname.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: Bad_Name
        spec:
          containers:
          - name: a
            image: busybox
        """);
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("metadata.name 'Bad_Name' is not a valid DNS label"), r.err());
    assertNothingCreated();
  }

  @Test
  void unknownField_warnsLikeKubectl_andStillRuns() throws Exception {
    CliResult r = apply("extra.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: extra
        spec:
          containers:
          - name: a
            image: busybox
            command: ['sleep', '3600']
            colour: blue
        """).ok();
    assertTrue(r.err().contains("unknown field \"spec.containers[0].colour\""), r.err());
    assertTrue(r.out().contains("pod/extra created"));
    daemon.cli("delete", "pod", "extra", "--now").ok();
    assertNothingCreated();
  }

  @Test
  void containerThatCannotRun_isThePodsStatusWithTheRuntimesReason_andApplyWaitSaysWhy() throws Exception {
    CliResult r = daemon.cli("apply", "-f", daemon.writeManifest("nocmd.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: nocmd
        spec:
          containers:
          - name: good
            image: busybox
            command: ['sleep', '3600']
          - name: bad
            image: busybox
            command: ['/no/such/binary']
        """).toString(), "--wait", "--timeout", "30s");
    assertTrue(r.exitCode() != 0, r.out());
    assertTrue(r.err().contains("container bad is CrashLoopBackOff"), r.err());
    JsonNode last = daemon.container("nocmd", "bad").get("lastState").get("terminated");
    assertEquals("ContainerCannotRun", last.get("reason").text(""), String.valueOf(last.raw()));
    assertTrue(last.get("message").text("").contains("/no/such/binary"), String.valueOf(last.raw()));
    assertTrue(daemon.pid("nocmd", "good") > 0, "the pod's other container runs");
    daemon.cli("delete", "pod", "nocmd", "--now").ok();
    assertNothingCreated();
  }
}
