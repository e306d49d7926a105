package io.peapod.kubelet.podspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.runtime.api.Seccomp;
import io.peapod.runtime.api.SecurityContext;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecurityContextsTest {
  private static final NodeSecurity NODE = new NodeSecurity(false, Path.of("/var/lib/peapod/seccomp"),
      List.of("kernel.shm*", "net.core.somaxconn"), Optional.empty());

  static PodManifest pod(String yaml) {
    return new ManifestParser().parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + yaml, "p.yaml")
        .pods().getFirst().pod();
  }

  @Test
  void containerSettingsWinFieldByField_fsGroupJoinsTheGroups() {
    PodManifest p = pod("""
          securityContext: {runAsUser: 1000, runAsGroup: 3000, supplementalGroups: [4000], fsGroup: 2000,
            seccompProfile: {type: RuntimeDefault}}
          containers:
          - {name: a, image: busybox, securityContext: {runAsUser: 5, allowPrivilegeEscalation: false}}
          - {name: b, image: busybox, securityContext: {seccompProfile: {type: Localhost, localhostProfile: x/y.json}}}
        """);
    SecurityContext a = new SecurityContexts(NODE).of(p, p.containers().get(0));
    assertEquals(Optional.of(5L), a.runAsUser());
    assertEquals(Optional.of(3000L), a.runAsGroup(), "from the pod");
    assertEquals(List.of(4000L, 2000L), a.supplementalGroups());
    assertTrue(a.noNewPrivileges());
    assertEquals(new Seccomp.RuntimeDefault(), a.seccomp());
    SecurityContext b = new SecurityContexts(NODE).of(p, p.containers().get(1));
    assertFalse(b.noNewPrivileges(), "allowPrivilegeEscalation defaults to true");
    assertEquals(new Seccomp.Localhost(Path.of("/var/lib/peapod/seccomp/x/y.json")), b.seccomp());
  }

  @Test
  void noProfileNamed_isUnconfined_unlessTheNodeDefaultsToRuntimeDefault() {
    PodManifest p = pod("  containers: [{name: a, image: busybox}]\n");
    assertEquals(new Seccomp.Unconfined(), new SecurityContexts(NODE).of(p, p.containers().getFirst()).seccomp());
    NodeSecurity strict = new NodeSecurity(true, NODE.seccompProfileRoot(), List.of(), Optional.empty());
    assertEquals(new Seccomp.RuntimeDefault(), new SecurityContexts(strict).of(p, p.containers().getFirst()).seccomp());
  }

  @Test
  void runAsNonRoot_asKubeletVerifiesIt() {
    PodManifest p = pod("""
          securityContext: {runAsNonRoot: true}
          containers:
          - {name: a, image: busybox}
          - {name: b, image: busybox, securityContext: {runAsUser: 0}}
          - {name: c, image: busybox, securityContext: {runAsUser: 1000}}
          - {name: d, image: busybox, securityContext: {runAsNonRoot: false}}
        """);
    assertTrue(SecurityContexts.runAsNonRootViolation(p, p.containers().get(0), "").orElseThrow()
        .contains("image will run as root"));
    assertTrue(SecurityContexts.runAsNonRootViolation(p, p.containers().get(0), "0:0").isPresent());
    assertTrue(SecurityContexts.runAsNonRootViolation(p, p.containers().get(0), "app").orElseThrow()
        .contains("non-numeric user (app)"));
    assertEquals(Optional.empty(), SecurityContexts.runAsNonRootViolation(p, p.containers().get(0), "1000:1000"));
    assertTrue(SecurityContexts.runAsNonRootViolation(p, p.containers().get(1), "1000").orElseThrow()
        .contains("runAsUser breaks non-root policy"));
    assertEquals(Optional.empty(), SecurityContexts.runAsNonRootViolation(p, p.containers().get(2), ""));
    assertEquals(Optional.empty(), SecurityContexts.runAsNonRootViolation(p, p.containers().get(3), ""));
  }

  @Test
  void sysctls_safeAndAllowedPass_othersAreRefusedWithTheReason() {
    SecurityContexts s = new SecurityContexts(NODE);
    s.admit(pod("""
          securityContext:
            sysctls: [{name: net.ipv4.ip_local_port_range, value: '1 2'}, {name: kernel.shmmax, value: '1'},
              {name: net.core.somaxconn, value: '1024'}]
          containers: [{name: a, image: busybox}]
        """), "p");
    String unsafe = assertThrows(InvalidArgumentException.class, () -> s.admit(pod("""
          securityContext: {sysctls: [{name: kernel.msgmax, value: '1'}]}
          containers: [{name: a, image: busybox}]
        """), "p")).getMessage();
    assertTrue(unsafe.contains("--allowed-unsafe-sysctls=kernel.msgmax"), unsafe);
    String node = assertThrows(InvalidArgumentException.class, () -> s.admit(pod("""
          securityContext: {sysctls: [{name: vm.swappiness, value: '1'}]}
          containers: [{name: a, image: busybox}]
        """), "p")).getMessage();
    assertTrue(node.contains("not a namespaced sysctl"), node);
    String hostNet = assertThrows(InvalidArgumentException.class, () -> s.admit(pod("""
          hostNetwork: true
          securityContext: {sysctls: [{name: net.ipv4.tcp_syncookies, value: '1'}]}
          containers: [{name: a, image: busybox}]
        """), "p")).getMessage();
    assertTrue(hostNet.contains("hostNetwork"), hostNet);
  }

  @Test
  void hostUsersFalse_isRefusedWithTheNodesReason() {
    NodeSecurity none = new NodeSecurity(false, NODE.seccompProfileRoot(), List.of(), Optional.of("runc 1.1.5 lacks"
        + " idmapped mounts"));
    String e = assertThrows(InvalidArgumentException.class, () -> new SecurityContexts(none).admit(pod("""
          hostUsers: false
          containers: [{name: a, image: busybox}]
        """), "p")).getMessage();
    assertTrue(e.contains("hostUsers: false") && e.contains("idmapped"), e);
  }

  @Test
  void podResources_sumTheContainers_andTakeTheLargestInitContainerWhenItIsBigger() {
    PodManifest p = pod("""
          initContainers:
          - {name: i, image: busybox, resources: {limits: {cpu: '2', memory: 1Gi}}}
          containers:
          - {name: a, image: busybox, resources: {limits: {cpu: 500m, memory: 64Mi}}}
          - {name: b, image: busybox, resources: {limits: {cpu: 250m, memory: 64Mi}}}
        """);
    var r = PodResources.pod(p);
    assertEquals(200_000, r.cpuQuota(), "the init container's 2 cpus are more than the apps' 750m");
    assertEquals(1L << 30, r.memoryLimitBytes());
    assertEquals("kubepods", PodResources.cgroupParent(PodResources.qos(p)));
    PodManifest partial = pod("""
          containers:
          - {name: a, image: busybox, resources: {limits: {memory: 64Mi}}}
          - {name: b, image: busybox}
        """);
    assertEquals(0, PodResources.pod(partial).memoryLimitBytes(), "a container without a limit lifts the pod's");
    assertEquals("kubepods/burstable", PodResources.cgroupParent(PodResources.qos(partial)));
  }
}
