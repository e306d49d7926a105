package io.peapod.kubelet.podspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.manifest.EnvVar.ObjectKind;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.state.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {
  @TempDir Path tmp;
  private DataStore data;
  private Environment env;
  private final Environment.PodFields fields = new Environment.PodFields("uid-1", "node-a", "10.88.0.5", "192.0.2.1");

  @BeforeEach
  void setUp() {
    data = new DataStore(Database.open(tmp.resolve("db")));
    env = new Environment(data, 2000, 8L << 30);
    data.put(new DataObject(ObjectKind.CONFIG_MAP, "cfg", "default", "", Map.of("color", bytes("blue"),
        "1bad", bytes("x"), "mode", bytes("fast"))));
    data.put(new DataObject(ObjectKind.SECRET, "sec", "default", "Opaque", Map.of("password", bytes("s3cret"))));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void envFromThenEnv_laterNamesWin_literalsExpandWithWhatCameBefore() {
    PodManifest p = SecurityContextsTest.pod("""
          containers:
          - name: c
            image: busybox
            command: [echo, '$(color) $(MODE_X) $$(color) $(undefined)']
            resources: {limits: {memory: 64Mi, cpu: 1500m}}
            envFrom: [{configMapRef: {name: cfg}}, {prefix: P_, secretRef: {name: sec}}]
            env:
            - {name: color, value: red}
            - {name: MODE_X, value: '$(mode)-$(color)'}
            - {name: NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: HOST, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
            - {name: MEM, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
            - {name: CPU, valueFrom: {resourceFieldRef: {resource: limits.cpu}}}
            - {name: REQ, valueFrom: {resourceFieldRef: {resource: requests.cpu, divisor: 1m}}}
            - {name: PW, valueFrom: {secretKeyRef: {name: sec, key: password}}}
            - {name: OPT, valueFrom: {configMapKeyRef: {name: cfg, key: nope, optional: true}}}
        """);
    Environment.Resolved r = env.resolve(p, p.containers().getFirst(), fields);
    Map<String, String> m = r.asMap();
    assertEquals("red", m.get("color"), "env replaces what envFrom set");
    assertEquals("fast-red", m.get("MODE_X"));
    assertEquals("s3cret", m.get("P_password"));
    assertEquals("p", m.get("NAME"));
    assertEquals("10.88.0.5", m.get("IP"));
    assertEquals("192.0.2.1", m.get("HOST"));
    assertEquals("64", m.get("MEM"));
    assertEquals("2", m.get("CPU"), "1500m rounds up to 2 cores");
    assertEquals("1500", m.get("REQ"), "requests default to limits");
    assertEquals("s3cret", m.get("PW"));
    assertTrue(!m.containsKey("OPT") && !m.containsKey("1bad"), m.toString());
    assertTrue(r.warnings().getFirst().contains("Keys [1bad]"), r.warnings().toString());
    assertEquals("red fast-red $(color) $(undefined)", r.command().get(1));
  }

  @Test
  void missingObjectsAndKeys_failUnlessOptional() {
    PodManifest p = SecurityContextsTest.pod("""
          containers:
          - {name: a, image: busybox, env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: k}}}]}
          - {name: b, image: busybox, env: [{name: X, valueFrom: {secretKeyRef: {name: sec, key: k}}}]}
          - {name: c, image: busybox, envFrom: [{secretRef: {name: nope}}]}
          - {name: d, image: busybox, envFrom: [{secretRef: {name: nope, optional: true}}]}
        """);
    assertEquals("configmap \"nope\" not found", assertThrows(InvalidArgumentException.class,
        () -> env.resolve(p, p.containers().get(0), fields)).getMessage());
    assertEquals("couldn't find key k in Secret default/sec", assertThrows(InvalidArgumentException.class,
        () -> env.resolve(p, p.containers().get(1), fields)).getMessage());
    assertEquals("secret \"nope\" not found", assertThrows(InvalidArgumentException.class,
        () -> env.resolve(p, p.containers().get(2), fields)).getMessage());
    assertTrue(env.resolve(p, p.containers().get(3), fields).env().stream().noneMatch(e -> e.getKey().equals("X")));
  }

  @Test
  void downwardFields_labelsAndAnnotations() {
    PodManifest p = new io.peapod.kubelet.manifest.ManifestParser().parse("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p, labels: {app: web, tier: front}, annotations: {note: 'say "hi"'}}
        spec: {containers: [{name: c, image: busybox}]}
        """, "p.yaml").pods().getFirst().pod();
    assertEquals("web", Environment.field(p, fields, "metadata.labels['app']"));
    assertEquals("", Environment.field(p, fields, "metadata.labels['none']"));
    assertEquals("app=\"web\"\ntier=\"front\"", Environment.field(p, fields, "metadata.labels"));
    assertEquals("note=\"say \\\"hi\\\"\"", Environment.field(p, fields, "metadata.annotations"));
    assertEquals("say \"hi\"", Environment.field(p, fields, "metadata.annotations['note']"));
    assertEquals("uid-1", Environment.field(p, fields, "metadata.uid"));
    assertEquals("node-a", Environment.field(p, fields, "spec.nodeName"));
  }
}
