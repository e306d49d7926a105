package io.peapod.kubelet.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.registry.RegistryConfig.Credentials;
import io.peapod.kubelet.data.DockerConfig;
import java.util.List;
import java.util.Map;
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
    PodManifest pod = p.pods().getFirst().pod();
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
  void template_validatesAsThePodItMakes() {
    List<String> warnings = new java.util.ArrayList<>();
    Map<String, Object> template = Map.of("metadata", Map.of("labels", Map.of("app", "web")), "spec",
        Map.of("bogus", 1, "containers", List.of(Map.of("name", "c", "image", "busybox"))));
    PodManifest pod = parser.template(template, "web-abcde", "default", "d.yaml: Deployment \"web\"",
        "Deployment/web", warnings);
    assertEquals("web-abcde", pod.name());
    assertEquals(Map.of("app", "web"), pod.labels());
    assertTrue(warnings.toString().contains("unknown field \"spec.bogus\""), warnings.toString());
    var e = assertThrows(InvalidArgumentException.class, () -> parser.template(Map.of("spec", Map.of()), "web-x",
        "default", "d.yaml", "Deployment/web", warnings));
    assertTrue(e.getMessage().contains("spec.containers"), e.getMessage());
  }

  @Test
  void documents_expandAList() {
    var docs = parser.documents("""
        apiVersion: v1
        kind: List
        items:
        - {apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, image: busybox}]}}
        - {apiVersion: v1, kind: Pod, metadata: {name: b}, spec: {containers: [{name: c, image: busybox}]}}
        """, "l.yaml");
    assertEquals(2, parser.parse(docs, "l.yaml").pods().size());
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
    assertTrue(e.getMessage().contains("kind Service is not a kind the kubelet runs"), e.getMessage());
  }

  @Test
  void quantities_parse() {
    assertEquals(250, Quantities.cpuMilli("0.25", "x"));
    assertEquals(2000, Quantities.cpuMilli("2", "x"));
    assertEquals(129_000_000, Quantities.bytes("129M", "x"));
    assertEquals(1L << 30, Quantities.bytes("1Gi", "x"));
    assertThrows(InvalidArgumentException.class, () -> Quantities.bytes("lots", "x"));
  }

  @Test
  void imagePullPolicy_defaultsAsKubernetes() {
    var pod = parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - {name: a, image: busybox}
          - {name: b, image: busybox:latest}
          - {name: c, image: busybox:1.36}
          - {name: d, image: "busybox@sha256:%s"}
          - {name: e, image: busybox, imagePullPolicy: Never}
        """.formatted("a".repeat(64)), "p.yaml").pods().getFirst().pod();
    assertEquals(List.of("Always", "Always", "IfNotPresent", "IfNotPresent", "Never"),
        pod.containers().stream().map(PodManifest.ContainerSpec::imagePullPolicy).toList());
  }

  @Test
  void badImageReference_isRefusedWithItsField() {
    var e = assertThrows(InvalidArgumentException.class, () -> parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: a, image: "Busy Box"}]
        """, "p.yaml"));
    assertTrue(e.getMessage().contains("spec.containers[0] 'a'.image 'Busy Box'"), e.getMessage());
  }

  @Test
  void secret_dataDecoded_stringDataMerged_andPodNamesItsPullSecrets() {
    var parsed = parser.parse("""
        apiVersion: v1
        kind: Secret
        metadata: {name: regcred}
        type: kubernetes.io/dockerconfigjson
        data:
          .dockerconfigjson: eyJhdXRocyI6e319
        stringData:
          note: plain
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          imagePullSecrets: [{name: regcred}]
          containers: [{name: a, image: busybox}]
        """, "s.yaml");
    DataObject s = parsed.dataObjects().getFirst();
    assertEquals("{\"auths\":{}}", new String(s.data().get(".dockerconfigjson")));
    assertEquals("plain", new String(s.data().get("note")));
    assertEquals(List.of("regcred"), parsed.pods().getFirst().pod().imagePullSecrets());
    assertTrue(parsed.warnings().isEmpty(), parsed.warnings().toString());
  }

  /// What `kubectl create secret docker-registry regcred --docker-server=127.0.0.1:5000 --docker-username=u
  /// --docker-password=p --dry-run=client -o yaml` prints.
  @Test
  void secret_asKubectlCreatesIt_isAccepted() {
    var parsed = parser.parse("""
        apiVersion: v1
        data:
          .dockerconfigjson: %s
        kind: Secret
        metadata:
          creationTimestamp: null
          name: regcred
        type: kubernetes.io/dockerconfigjson
        """.formatted("eyJhdXRocyI6eyIxMjcuMC4wLjE6NTAwMCI6eyJ1c2VybmFtZSI6InUiLCJwYXNzd29yZCI6InAiLCJhdXRoIjoiZFRwdyJ9fX0="), "regcred.yaml");
    DataObject s = parsed.dataObjects().getFirst();
    assertEquals("regcred", s.name());
    assertEquals(Map.of("127.0.0.1:5000", new Credentials("u", "p")),
        DockerConfig.parse(s.data().get(".dockerconfigjson"), "regcred"));
    assertTrue(parsed.warnings().isEmpty(), parsed.warnings().toString());
  }

  @Test
  void secret_badBase64OrMissingDockerConfig_refused() {
    var e = assertThrows(InvalidArgumentException.class, () -> parser.parse("""
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        data: {key: "not base64!"}
        """, "s.yaml"));
    assertTrue(e.getMessage().contains("data.key is not base64"), e.getMessage());
    e = assertThrows(InvalidArgumentException.class, () -> parser.parse("""
        apiVersion: v1
        kind: Secret
        metadata: {name: s}
        type: kubernetes.io/dockerconfigjson
        stringData: {other: x}
        """, "s.yaml"));
    assertTrue(e.getMessage().contains("needs data[.dockerconfigjson]"), e.getMessage());
  }

  @Test
  void podDocument_parsesBackToTheSamePod() {
    var first = parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: j, labels: {a: b}, ownerReferences: [{apiVersion: batch/v1, kind: Job, name: j, uid: u1,
          controller: true}]}
        spec:
          restartPolicy: Never
          containers: [{name: a, image: busybox, command: [sh, -c, 'echo "hi"']}]
        """, "j.yaml").pods().getFirst();
    assertEquals("u1", first.pod().controller().orElseThrow().uid());
    assertEquals(first.pod(), parser.parse(first.yaml(), "stored").pods().getFirst().pod());
  }

  private static String subPathOf(ParsedManifests p) {
    return p.pods().getFirst().pod().containers().getFirst().volumeMounts().getFirst().subPath();
  }

  private static String withMount(String env, String mount) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: c
            image: busybox
            env: %s
            volumeMounts: [%s]
          volumes: [{name: v, emptyDir: {}}]
        """.formatted(env, mount);
  }

  @Test
  void subPathExpr_isKeptForExpansionAtStart_andCheckedLikeASubPath() {
    ParsedManifests p = parser.parse(withMount("[{name: POD, value: web-1}]",
        "{name: v, mountPath: /l, subPathExpr: 'logs/$(POD)/$(NOPE)/$$(POD)'}"), "p.yaml");
    assertEquals("logs/$(POD)/$(NOPE)/$$(POD)", subPathOf(p));
    assertTrue(p.pods().getFirst().pod().containers().getFirst().volumeMounts().getFirst().expand());
    InvalidArgumentException up = assertThrows(InvalidArgumentException.class, () -> parser.parse(withMount(
        "[]", "{name: v, mountPath: /l, subPathExpr: '../$(X)'}"), "p.yaml"));
    assertTrue(up.getMessage().contains("subPathExpr") && up.getMessage().contains("'../$(X)'"), up.getMessage());
    InvalidArgumentException both = assertThrows(InvalidArgumentException.class, () -> parser.parse(withMount(
        "[]", "{name: v, mountPath: /l, subPath: a, subPathExpr: b}"), "p.yaml"));
    assertTrue(both.getMessage().contains("together with subPath"), both.getMessage());
  }

  @Test
  void otherResourceNames_areWarnedAbout_notSilentlyIgnored() {
    ParsedManifests p = parser.parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - name: c
            image: busybox
            resources: {limits: {memory: 64Mi, ephemeral-storage: 1Gi}}
          volumes: [{name: v, emptyDir: {medium: Memory, sizeLimit: 1Gi}}]
        """, "p.yaml");
    String all = String.join("\n", p.warnings());
    assertTrue(all.contains("spec.containers[0].resources.limits.ephemeral-storage"), all);
    assertTrue(!all.contains("emptyDir"), "medium and sizeLimit are acted on: " + all);
    assertTrue(!all.contains("limits.memory"), all);
  }
}
