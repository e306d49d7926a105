package io.peapod.kubelet.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestParserTest {
  private final ManifestParser parser = new ManifestParser();

  @Test
  void parse_seedPod() {
    ParsedManifests p = parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: two-containers
        spec:
          shareProcessNamespace: true
          containers:
          - name: hello
            image: busybox
            command: ['sh', '-c', 'echo hi']
            resources:
              limits: {cpu: 500m, memory: 64Mi}
        """, "pod.yaml");
    PodManifest pod = p.pods().getFirst();
    assertEquals("two-containers", pod.name());
    assertEquals("default", pod.namespace());
    assertTrue(pod.shareProcessNamespace());
    assertEquals(List.of("sh", "-c", "echo hi"), pod.containers().getFirst().command());
    assertEquals(500, pod.containers().getFirst().cpuLimitMilli());
    assertEquals(64L << 20, pod.containers().getFirst().memoryLimitBytes());
    assertEquals(64L << 20, pod.containers().getFirst().memoryRequestBytes(), "requests default to limits");
    assertEquals(List.of(), p.warnings());
  }

  @Test
  void parse_deploymentTemplate_oneReplicaWithWarning() {
    ParsedManifests p = parser.parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: c, image: busybox}]
        """, "d.yaml");
    assertEquals("web", p.pods().getFirst().name());
    assertEquals("Deployment/web", p.pods().getFirst().source());
    assertTrue(p.warnings().getFirst().contains("replicas 3"), p.warnings().toString());
  }

  @Test
  void parse_unknownField_warnsWithPath() {
    ParsedManifests p = parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: x}
        spec:
          containers: [{name: c, image: busybox, colour: blue}]
        """, "x.yaml");
    assertEquals(1, p.warnings().size());
    assertTrue(p.warnings().getFirst().contains("unknown field \"spec.containers[0].colour\""));
  }

  @Test
  void parse_badYaml_namesLine() {
    var e = assertThrows(InvalidArgumentException.class, () -> parser.parse("a: [\nb: c\n", "bad.yaml"));
    assertTrue(e.getMessage().startsWith("bad.yaml: malformed YAML at line"), e.getMessage());
  }

  @Test
  void parse_invalidNames_refused() {
    assertThrows(InvalidArgumentException.class, () -> parser.parse(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: UPPER}\nspec: {containers: [{name: c, image: i}]}", "p"));
    assertThrows(InvalidArgumentException.class, () -> parser.parse(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c_1, image: i}]}", "p"));
  }

  @Test
  void parse_volumeTraversal_refused() {
    var e = assertThrows(InvalidArgumentException.class, () -> parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: v}
        spec:
          volumes: [{name: data, hostPath: {path: /srv/../etc}}]
          containers: [{name: c, image: i}]
        """, "v.yaml"));
    assertTrue(e.getMessage().contains("without '..'"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: v}
        spec:
          volumes: [{name: data, emptyDir: {}}]
          containers: [{name: c, image: i, volumeMounts: [{name: data, mountPath: /d, subPath: ../up}]}]
        """, "v.yaml"));
  }

  @Test
  void parse_unsupportedKind_refused() {
    var e = assertThrows(InvalidArgumentException.class, () -> parser.parse(
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}", "s.yaml"));
    assertTrue(e.getMessage().contains("kind Service is not supported"), e.getMessage());
  }

  @Test
  void quantities_parse() {
    assertEquals(250, Quantities.cpuMilli("0.25", "x"));
    assertEquals(2000, Quantities.cpuMilli("2", "x"));
    assertEquals(129_000_000, Quantities.bytes("129M", "x"));
    assertEquals(1L << 30, Quantities.bytes("1Gi", "x"));
    assertThrows(InvalidArgumentException.class, () -> Quantities.bytes("lots", "x"));
  }
}
