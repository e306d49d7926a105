package io.peapod.cri.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.cri.v1.*;
import io.peapod.runtime.api.NamespaceOptions;
import io.peapod.runtime.api.Seccomp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/// CRI configs to the runtime's: kubelet's choices as given, crictl's omissions filled as kubelet would,
/// and what peapod cannot honour refused by name.
class ConfigsTest {
  private final SandboxConfigs sandboxes = new SandboxConfigs(Path.of("/var/log/pods"));

  private static PodSandboxConfig.Builder sandbox() {
    return PodSandboxConfig.newBuilder().setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("ns")
        .setUid("u1").setAttempt(2));
  }

  private static ContainerConfig.Builder container() {
    return ContainerConfig.newBuilder().setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(1))
        .setImage(ImageSpec.newBuilder().setImage("busybox"));
  }

  private io.peapod.runtime.api.PodSandboxConfig kubeletSandbox() {
    return sandboxes.fromCri(sandbox().setLinux(LinuxPodSandboxConfig.newBuilder().setSecurityContext(
        LinuxSandboxSecurityContext.newBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
            .setPid(NamespaceMode.CONTAINER)))).build());
  }

  @Test
  void sandbox_withoutLogDirectoryOrHostname_getsKubeletsDefaults_andKeepsTheRest() {
    io.peapod.runtime.api.PodSandboxConfig c = sandboxes.fromCri(sandbox().putLabels("a", "b")
        .setLinux(LinuxPodSandboxConfig.newBuilder().setCgroupParent("/kubepods/besteffort/podu1")
            .putSysctls("net.ipv4.ip_unprivileged_port_start", "0")
            .setResources(LinuxContainerResources.newBuilder().setCpuShares(256)))
        .addPortMappings(PortMapping.newBuilder().setContainerPort(80).setHostPort(8080).setProtocol(Protocol.UDP))
        .build());
    assertEquals("/var/log/pods/ns_web_u1", c.logDirectory());
    assertEquals("web", c.hostname());
    assertEquals(2, c.attempt());
    assertEquals("kubepods/besteffort/podu1", c.cgroupParent());
    assertEquals(256, c.podResources().cpuShares());
    assertEquals("UDP", c.portMappings().getFirst().protocol());
    assertEquals(Map.of("a", "b"), c.labels());
    assertEquals(new NamespaceOptions(io.peapod.runtime.api.NamespaceMode.POD, io.peapod.runtime.api.NamespaceMode.POD,
        io.peapod.runtime.api.NamespaceMode.POD), c.namespaces(), "CRI's zero value is POD for every namespace");
  }

  @Test
  void sandbox_refusesRelativeLogDirectories_missingNames_andResourcesItCannotApply() {
    assertThrows(InvalidArgumentException.class, () -> sandboxes.fromCri(sandbox().setLogDirectory("logs").build()));
    assertThrows(InvalidArgumentException.class, () -> sandboxes.fromCri(sandbox().setLogDirectory("/var/../etc")
        .build()));
    InvalidArgumentException noName = assertThrows(InvalidArgumentException.class, () -> sandboxes.fromCri(
        sandbox().setMetadata(PodSandboxMetadata.newBuilder().setNamespace("ns").setUid("u")).build()));
    assertTrue(noName.getMessage().contains("metadata.name"), noName.getMessage());
    InvalidArgumentException cpuset = assertThrows(InvalidArgumentException.class, () -> sandboxes.fromCri(sandbox()
        .setLinux(LinuxPodSandboxConfig.newBuilder().setResources(LinuxContainerResources.newBuilder()
            .setCpusetCpus("0-1"))).build()));
    assertTrue(cpuset.getMessage().contains("cpuset_cpus"), cpuset.getMessage());
  }

  @Test
  void sandbox_mayNotClaimToBePeapodsOwn() {
    InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> sandboxes.fromCri(sandbox()
        .putLabels(io.peapod.runtime.api.PodSandboxConfig.MANAGED_BY, "peapod").build()));
    assertTrue(e.getMessage().contains("may not set it"), e.getMessage());
  }

  @Test
  void container_namesThatWouldLeaveTheLogDirectory_areRefused() {
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().setMetadata(
        ContainerMetadata.newBuilder().setName("../../x")).build(), kubeletSandbox()));
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().setMetadata(
        ContainerMetadata.newBuilder().setName("..")).build(), kubeletSandbox()));
  }

  @Test
  void container_mapsSecurityEnvMountsAndStdio() {
    io.peapod.runtime.api.ContainerConfig c = ContainerConfigs.fromCri(container()
        .addEnvs(KeyValue.newBuilder().setKey("A").setValue(ByteString.copyFromUtf8("1")))
        .addMounts(Mount.newBuilder().setContainerPath("/data").setHostPath("/srv/data").setReadonly(true)
            .setPropagation(MountPropagation.PROPAGATION_HOST_TO_CONTAINER))
        .setStdin(true).setTty(true)
        .setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder()
            .setCapabilities(Capability.newBuilder().addAddCapabilities("CAP_NET_ADMIN").addDropCapabilities("ALL"))
            .setRunAsUser(Int64Value.newBuilder().setValue(1000)).setNoNewPrivs(true)
            .addMaskedPaths("/proc/kcore")
            .setSeccomp(SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.RuntimeDefault))))
        .build(), kubeletSandbox());
    assertEquals(List.of(Map.entry("A", "1")), c.env());
    assertEquals("app/1.log", c.logPath(), "kubelet's layout when the caller names no log path");
    assertEquals(io.peapod.runtime.api.VolumeMount.Propagation.HOST_TO_CONTAINER, c.mounts().getFirst().propagation());
    assertEquals(List.of("NET_ADMIN"), c.security().addCapabilities());
    assertEquals(Optional.of(1000L), c.security().runAsUser());
    assertTrue(c.security().seccomp() instanceof Seccomp.RuntimeDefault);
    assertTrue(c.security().maskedPaths());
    assertTrue(c.stdio().stdin() && c.stdio().tty());
  }

  @Test
  void container_seccompPathForms_andTheAbsentProfileIsUnconfined() {
    assertTrue(SecurityContexts.seccomp(Optional.empty(), "", "x") instanceof Seccomp.Unconfined);
    assertTrue(SecurityContexts.seccomp(Optional.empty(), "runtime/default", "x") instanceof Seccomp.RuntimeDefault);
    assertEquals(new Seccomp.Localhost(Path.of("/p.json")), SecurityContexts.seccomp(Optional.empty(),
        "localhost//p.json", "x"));
    assertThrows(InvalidArgumentException.class, () -> SecurityContexts.seccomp(Optional.of(SecurityProfile
        .newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost).setLocalhostRef("rel.json").build()), "",
        "x"));
  }

  @Test
  void container_refusesEscapingLogPaths_badDevices_otherNamespaces_andLocalhostAppArmor() {
    var sandbox = kubeletSandbox();
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().setLogPath("../x.log")
        .build(), sandbox));
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().setLogPath("/x.log")
        .build(), sandbox));
    assertEquals(List.of(new io.peapod.runtime.api.DeviceMapping("/dev/fuse", "/dev/fuse", "rwm")),
        ContainerConfigs.fromCri(container().addDevices(Device.newBuilder().setContainerPath("/dev/fuse")
            .setHostPath("/dev/fuse")).build(), sandbox).devices(), "no permissions given: rwm, as containerd");
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().addDevices(Device
        .newBuilder().setContainerPath("/dev/fuse").setHostPath("/dev/fuse").setPermissions("rwx")).build(),
        sandbox));
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().addCDIDevices(
        CDIDevice.newBuilder().setName("vendor.com/gpu=0")).build(), sandbox));
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().addMounts(Mount
        .newBuilder().setContainerPath("/x").setHostPath("relative")).build(), sandbox));
    InvalidArgumentException pid = assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(
        container().setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext
            .newBuilder().setNamespaceOptions(NamespaceOption.newBuilder().setPid(NamespaceMode.NODE)))).build(),
        sandbox));
    assertTrue(pid.getMessage().contains("sandbox"), pid.getMessage());
    assertThrows(InvalidArgumentException.class, () -> ContainerConfigs.fromCri(container().setLinux(
        LinuxContainerConfig.newBuilder().setSecurityContext(LinuxContainerSecurityContext.newBuilder().setApparmor(
            SecurityProfile.newBuilder().setProfileType(SecurityProfile.ProfileType.Localhost)
                .setLocalhostRef("p")))).build(), sandbox));
  }

  @Test
  void container_targetPidMode_joinsTheTarget_andNoOptionsMeansTheSandboxs() {
    var sandbox = kubeletSandbox();
    assertEquals(Optional.of("c1"), ContainerConfigs.fromCri(container().setLinux(LinuxContainerConfig.newBuilder()
        .setSecurityContext(LinuxContainerSecurityContext.newBuilder().setNamespaceOptions(NamespaceOption.newBuilder()
            .setPid(NamespaceMode.TARGET).setTargetId("c1")))).build(), sandbox).pidTarget());
    assertEquals(Optional.empty(), ContainerConfigs.fromCri(container().build(), sandbox).pidTarget());
  }
}
