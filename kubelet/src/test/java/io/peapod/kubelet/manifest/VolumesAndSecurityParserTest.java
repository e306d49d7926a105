package io.peapod.kubelet.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.VolumeSource.KeyFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VolumesAndSecurityParserTest {
  private final ManifestParser parser = new ManifestParser();

  private PodManifest pod(String spec) {
    return parser.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec, "p.yaml").pods().getFirst()
        .pod();
  }

  private String refused(String spec) {
    return assertThrows(InvalidArgumentException.class, () -> pod(spec)).getMessage();
  }

  @Test
  void everyVolumeType_isReadWithItsFields() {
    PodManifest p = pod("""
          containers: [{name: c, image: busybox}]
          volumes:
          - {name: a, configMap: {name: cfg, items: [{key: k, path: dir/f, mode: 0600}], defaultMode: 0444}}
          - {name: b, secret: {secretName: s, optional: true}}
          - {name: c, downwardAPI: {items: [{path: l, fieldRef: {fieldPath: metadata.labels}},
              {path: m, resourceFieldRef: {containerName: c, resource: limits.memory, divisor: 1Mi}}]}}
          - {name: d, projected: {sources: [{secret: {name: s}}, {configMap: {name: cfg}}]}}
          - {name: e, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
          - {name: f, hostPath: {path: /tmp, type: DirectoryOrCreate}}
        """);
    KeyFiles a = (KeyFiles) p.volumes().get(0).source();
    assertEquals(0444, a.defaultMode());
    assertEquals(Optional.of(0600), a.items().getFirst().mode());
    assertTrue(((KeyFiles) p.volumes().get(1).source()).optional());
    assertEquals(2, ((VolumeSource.DownwardApi) p.volumes().get(2).source()).items().size());
    assertTrue(p.volumes().get(3).source().holdsSecrets(), "a projected volume with a secret stays off disk");
    assertEquals(new VolumeSource.EmptyDir(true, 16L << 20), p.volumes().get(4).source());
    assertEquals(new VolumeSource.HostPath("/tmp", "DirectoryOrCreate"), p.volumes().get(5).source());
  }

  @Test
  void badVolumes_areRefusedNamingTheField() {
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, persistentVolumeClaim: {claimName: x}}]
        """).contains("spec.volumes[0].persistentVolumeClaim is not a volume type peapod has"));
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, emptyDir: {}, hostPath: {path: /tmp}}]
        """).contains("exactly one volume type"));
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, secret: {secretName: s, items: [{key: k, path: ../x}]}}]
        """).contains("spec.volumes[0].secret.items[0].path"));
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, projected: {sources: [{serviceAccountToken: {path: token}}]}}]
        """).contains("serviceAccountToken is refused"));
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, hostPath: {path: /tmp, type: Fifo}}]
        """).contains("spec.volumes[0].hostPath.type"));
    assertTrue(refused("""
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, configMap: {name: c, defaultMode: 01777}}]
        """).contains("defaultMode"));
  }

  @Test
  void mounts_duplicatePathsAndBidirectionalWithoutPrivilege_areRefused() {
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, volumeMounts: [{name: v, mountPath: /a}, {name: v, mountPath: /a}]}
          volumes: [{name: v, emptyDir: {}}]
        """).contains("'/a' is used by another volume mount"));
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, volumeMounts: [{name: v, mountPath: /a, mountPropagation: Bidirectional}]}
          volumes: [{name: v, emptyDir: {}}]
        """).contains("Bidirectional is allowed only in privileged containers"));
  }

  @Test
  void securityContexts_areValidatedAsTheApiServerDoes() {
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, securityContext: {privileged: true, allowPrivilegeEscalation: false}}
        """).contains("allowPrivilegeEscalation to false and privileged"));
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, securityContext: {procMount: Unmasked}}
        """).contains("hostUsers: false"));
    assertTrue(refused("""
          securityContext: {seccompProfile: {type: Localhost, localhostProfile: ../../etc/x.json}}
          containers: [{name: c, image: busybox}]
        """).contains("localhostProfile"));
    assertTrue(refused("""
          securityContext: {runAsUser: -1}
          containers: [{name: c, image: busybox}]
        """).contains("spec.securityContext.runAsUser"));
    PodManifest p = pod("""
          securityContext: {fsGroup: 2000, sysctls: [{name: net/ipv4/ip_forward, value: '1'}]}
          containers: [{name: c, image: busybox, securityContext: {seccompProfile: {type: RuntimeDefault}}}]
        """);
    assertEquals(Optional.of(2000L), p.security().fsGroup());
    assertEquals(List.of("net.ipv4.ip_forward"), List.copyOf(p.security().sysctls().keySet()));
    assertEquals(Optional.of(Seccomp.RUNTIME_DEFAULT), p.containers().getFirst().security().seccompProfile());
  }

  @Test
  void env_valueFromNeedsExactlyOneSource_andConfigMapsParse() {
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, env: [{name: X, value: a, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]}
        """).contains("may not be specified when `value` is not empty"));
    assertTrue(refused("""
          containers:
          - {name: c, image: busybox, env: [{name: X, valueFrom: {fieldRef: {fieldPath: spec.containers}}}]}
        """).contains("'spec.containers' is not supported"));
    ParsedManifests m = parser.parse("""
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: cfg}
        data: {a: one}
        binaryData: {b: dHdv}
        """, "cm.yaml");
    DataObject cm = m.dataObjects().getFirst();
    assertEquals(EnvVar.ObjectKind.CONFIG_MAP, cm.kind());
    assertEquals("two", new String(cm.data().get("b"), StandardCharsets.UTF_8));
    assertTrue(m.warnings().isEmpty(), m.warnings().toString());
  }
}
