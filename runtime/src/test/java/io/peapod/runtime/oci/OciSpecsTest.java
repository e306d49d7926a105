package io.peapod.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.runtime.api.Resources;
import io.peapod.runtime.snapshot.MergedLayers;
import io.peapod.sys.Mount;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import io.peapod.testing.RecordingSyscalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecsTest {
  @TempDir Path tmp;

  private static JsonNode spec(HostLimits limits, int oom, List<String> caps) {
    SpecInput in = new SpecInput(List.of("sleep", "1"), List.of("A=1"), "", ProcessUser.ROOT, Path.of("/r"),
        Optional.of(new Mount("overlay", "overlay", Path.of("/r"), List.of("lowerdir=/l2:/l1", "upperdir=/u",
            "workdir=/w"))), false, Optional.empty(),
        List.of(NamespaceJoin.fresh(Namespace.MNT), NamespaceJoin.fresh(Namespace.PID),
            NamespaceJoin.join(Namespace.NET, Path.of("/run/peapod/netns/x"))),
        List.of(new BindMount("/h", "/c", true)), "/peapod/podx/c", new Resources(2, 50000, 100000, 1 << 20, oom), caps,
        false, List.of(), false, Optional.empty(), true, java.util.Map.of(),
        new io.peapod.runtime.api.ContainerStdio(true, true, true),
        List.of(new HostDevices.Granted(new HostDevices.Device("/dev/fuse", "c", 10, 229, 0666, 0, 0), "rw")));
    return Json.parseNode(Json.write(new OciSpecs(limits, List::of, false).spec(in)));
  }

  @Test
  void spec_rootOverlay_isTheFirstMount_overTheEmptyRootPath() {
    JsonNode spec = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), 0, OciSpecs.DEFAULT_CAPABILITIES);
    assertEquals("/r", spec.get("root").get("path").text(""));
    JsonNode first = spec.get("mounts").list().getFirst();
    assertEquals("/", first.get("destination").text(""));
    assertEquals("overlay", first.get("type").text(""));
    assertEquals(List.of("lowerdir=/l2:/l1", "upperdir=/u", "workdir=/w"),
        first.get("options").list().stream().map(o -> o.text("")).toList());
    JsonNode plain = Json.parseNode(Json.write(new OciSpecs(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES),
        List::of, false).spec(secured(false, List.of(), false, Optional.empty(), true))));
    assertTrue(plain.get("mounts").list().stream().noneMatch(m -> m.get("destination").text("").equals("/")));
  }

  @Test
  void spec_namespacesNewOrJoinedByPath() {
    JsonNode ns = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), 0, OciSpecs.DEFAULT_CAPABILITIES).get("linux").get("namespaces");
    assertEquals("mount", ns.list().get(0).get("type").text(""));
    assertTrue(ns.list().get(0).get("path").isMissing());
    assertEquals("network", ns.list().get(2).get("type").text(""));
    assertEquals("/run/peapod/netns/x", ns.list().get(2).get("path").text(""));
  }

  @Test
  void spec_terminalAndStdioKeptForAttach() {
    JsonNode s = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), 0, List.of());
    assertTrue(s.get("process").get("terminal").asBoolean(false));
    assertEquals(new io.peapod.runtime.api.ContainerStdio(true, true, true), StdioAnnotations.read(s));
    assertEquals(io.peapod.runtime.api.ContainerStdio.NONE, StdioAnnotations.read(Json.parseNode("{}")));
  }

  @Test
  void spec_rlimitsAndOomClampedToHost() {
    JsonNode p = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), -998, OciSpecs.DEFAULT_CAPABILITIES).get("process");
    assertEquals(20000, p.get("rlimits").list().get(0).get("hard").asLong(0));
    assertEquals(96365, p.get("rlimits").list().get(1).get("hard").asLong(0));
    assertEquals(0, p.get("oomScoreAdj").asLong(-1));
    assertEquals(-998, spec(new HostLimits(1 << 21, 1 << 21, -1000, OciSpecs.CAPABILITIES), -998, List.of()).get("process").get("oomScoreAdj")
        .asLong(0));
  }

  @Test
  void spec_resourcesAndBindMount() {
    JsonNode s = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), 0, List.of());
    assertEquals(1 << 20, s.get("linux").get("resources").get("memory").get("limit").asLong(0));
    assertEquals(50000, s.get("linux").get("resources").get("cpu").get("quota").asLong(0));
    String mounts = Json.write(s.get("mounts").raw());
    assertTrue(mounts.contains("\"destination\":\"/c\",\"type\":\"bind\",\"source\":\"/h\""), mounts);
    assertTrue(mounts.contains("\"ro\""));
  }

  @Test
  void capabilities_addDropAndAll() {
    assertFalse(OciSpecs.capabilities(List.of(), List.of("NET_RAW")).contains("CAP_NET_RAW"));
    assertTrue(OciSpecs.capabilities(List.of("SYS_ADMIN"), List.of()).contains("CAP_SYS_ADMIN"));
    assertEquals(List.of("CAP_KILL"), OciSpecs.capabilities(List.of("KILL"), List.of("ALL")));
  }

  @Test
  void hostLimits_detect_fromFakeProc() throws Exception {
    Files.createDirectories(tmp.resolve("self"));
    Files.writeString(tmp.resolve("self/limits"), """
        Limit                     Soft Limit           Hard Limit           Units
        Max processes             96365                96365                processes
        Max open files            1024                 20000                files
        """);
    Files.writeString(tmp.resolve("self/oom_score_adj"), "0\n");
    Files.writeString(tmp.resolve("self/status"), "CapEff:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\n");
    HostLimits l = HostLimits.detect(new ProcFs(tmp));
    assertEquals(20000, l.nofile());
    assertEquals(0, l.minOomScoreAdj(), "CAP_SYS_RESOURCE (bit 24) is missing from 1fffeffffff");
    assertEquals(40, l.capabilities().size());
    assertTrue(l.capabilities().containsAll(List.of("CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE")));
    assertFalse(l.capabilities().contains("CAP_SYS_RESOURCE"));
  }

  @Test
  void processUser_namesFromImagePasswd() throws Exception {
    Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(tmp.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh\n");
    Files.writeString(tmp.resolve("etc/group"), "web:x:33:\n");
    ProcessUser.ImageFiles image = new MergedLayers(List.of(tmp), new RecordingSyscalls())::lines;
    assertEquals(new ProcessUser(1000, 1001), ProcessUser.resolve("app", Optional.empty(), Optional.empty(), image));
    assertEquals(new ProcessUser(1000, 33), ProcessUser.resolve("app:web", Optional.empty(), Optional.empty(), image));
    assertEquals(new ProcessUser(1000, 1001), ProcessUser.resolve("", Optional.of(1000L), Optional.empty(), image));
    assertEquals(new ProcessUser(5, 0), ProcessUser.resolve("", Optional.of(5L), Optional.empty(), image));
  }

  @Test
  void spec_grantedDevice_isMadeAndAllowedForItsAccessOnly() {
    JsonNode linux = spec(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), 0, List.of()).get("linux");
    JsonNode dev = linux.get("devices").list().getFirst();
    assertEquals("/dev/fuse", dev.get("path").text(""));
    assertEquals(229, dev.get("minor").asLong(0));
    assertTrue(linux.get("resources").get("devices").list().stream().anyMatch(r -> r.get("major").asLong(0) == 10
        && r.get("minor").asLong(0) == 229 && r.get("access").text("").equals("rw")), linux.raw().toString());
  }

  private static SpecInput secured(boolean privileged, List<String> caps, boolean noNewPrivs,
      Optional<java.util.Map<String, Object>> seccomp, boolean masked) {
    return new SpecInput(List.of("sh"), List.of(), "", new ProcessUser(1000, 1000), Path.of("/r"), Optional.empty(),
        false, Optional.empty(), List.of(NamespaceJoin.fresh(Namespace.PID)), List.of(new BindMount("/h", "/c", false,
            "rslave")), "/p/c", Resources.NONE, caps, privileged, List.of(5L, 6L), noNewPrivs, seccomp, masked,
        java.util.Map.of("net.ipv4.ip_local_port_range", "1024 2048"), io.peapod.runtime.api.ContainerStdio.NONE,
        List.of());
  }

  @Test
  void spec_securityContext_noNewPrivsSeccompGroupsSysctlsAndPropagation() {
    HostLimits limits = new HostLimits(20000, 96365, 0, List.of("CAP_CHOWN", "CAP_KILL", "CAP_PERFMON"));
    OciSpecs specs = new OciSpecs(limits, List::of, true);
    SpecInput in = secured(false, List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), true,
        Optional.of(SeccompProfiles.runtimeDefault(List.of("CAP_CHOWN"))), true);
    JsonNode s = Json.parseNode(Json.write(specs.spec(in)));
    JsonNode p = s.get("process");
    assertTrue(p.get("noNewPrivileges").asBoolean(false));
    assertEquals(List.of("CAP_CHOWN"), p.get("capabilities").get("bounding").strings(),
        "a capability the daemon lacks is left out instead of failing runc");
    assertEquals(2, p.get("user").get("additionalGids").list().size());
    assertEquals("SCMP_ACT_ERRNO", s.get("linux").get("seccomp").get("defaultAction").text(""));
    assertEquals("1024 2048", s.get("linux").get("sysctl").get("net.ipv4.ip_local_port_range").text(""));
    assertEquals("rslave", s.get("linux").get("rootfsPropagation").text(""));
    assertTrue(Json.write(s.get("mounts").raw()).contains("\"rslave\""));
    assertFalse(s.get("linux").get("maskedPaths").isMissing());
  }

  @Test
  void spec_privileged_getsHostCapabilitiesAndDevices_noSeccompNoMasks() {
    HostLimits limits = new HostLimits(20000, 96365, 0, List.of("CAP_CHOWN", "CAP_PERFMON", "CAP_BPF"));
    var dev = new HostDevices.Device("/dev/loop0", "b", 7, 0, 0660, 0, 6);
    OciSpecs specs = new OciSpecs(limits, () -> List.of(dev), false);
    JsonNode s = Json.parseNode(Json.write(specs.spec(secured(true, List.of(), true,
        Optional.of(SeccompProfiles.runtimeDefault(List.of())), true))));
    assertEquals(List.of("CAP_CHOWN", "CAP_PERFMON", "CAP_BPF"), s.get("process").get("capabilities")
        .get("effective").strings());
    assertFalse(s.get("process").get("noNewPrivileges").asBoolean(true));
    assertTrue(s.get("linux").get("seccomp").isMissing());
    assertTrue(s.get("linux").get("maskedPaths").isMissing());
    assertEquals("/dev/loop0", s.get("linux").get("devices").list().getFirst().get("path").text(""));
    assertTrue(Json.write(s.get("mounts").raw()).contains("\"destination\":\"/sys\",\"type\":\"sysfs\",\"source\":\"sysfs\",\"options\":[\"nosuid\",\"noexec\",\"nodev\",\"rw\"]"));
  }

  @Test
  void spec_unmaskedProc_dropsMaskedPaths() {
    OciSpecs specs = new OciSpecs(new HostLimits(20000, 96365, 0, OciSpecs.CAPABILITIES), List::of, false);
    JsonNode s = Json.parseNode(Json.write(specs.spec(secured(false, List.of(), false, Optional.empty(), false))));
    assertTrue(s.get("linux").get("maskedPaths").isMissing());
    assertTrue(s.get("linux").get("seccomp").isMissing());
  }

  @Test
  void seccomp_runtimeDefault_deniesNamespacesAndMountsWithoutSysAdmin() {
    String without = Json.write(SeccompProfiles.runtimeDefault(OciSpecs.DEFAULT_CAPABILITIES));
    String with = Json.write(SeccompProfiles.runtimeDefault(List.of("CAP_SYS_ADMIN")));
    assertFalse(without.contains("\"unshare\""), "unshare is allowed only with CAP_SYS_ADMIN");
    assertFalse(without.contains("\"mount\""));
    assertTrue(without.contains("SCMP_CMP_MASKED_EQ"), "clone may not make namespaces");
    assertTrue(with.contains("\"unshare\"") && with.contains("\"mount\""));
    assertTrue(without.contains("\"chroot\""), "the default set has CAP_SYS_CHROOT");
  }

  @Test
  void seccomp_localhost_readsDockerFormatAndRefusesBadAction() throws Exception {
    Path good = Files.writeString(tmp.resolve("p.json"), """
        {"defaultAction": "SCMP_ACT_ALLOW", "archMap": [{"architecture": "SCMP_ARCH_X86_64",
         "subArchitectures": ["SCMP_ARCH_X86"]}], "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}
        """);
    var p = SeccompProfiles.localhost(good, List.of());
    assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86"), p.get("architectures"));
    Path bad = Files.writeString(tmp.resolve("b.json"), "{\"defaultAction\": \"ALLOW_ALL\"}");
    var e = assertThrows(io.peapod.base.error.InvalidArgumentException.class, () -> SeccompProfiles.localhost(bad, List.of()));
    assertTrue(e.getMessage().contains("ALLOW_ALL"), e.getMessage());
    Files.createSymbolicLink(tmp.resolve("link.json"), good);
    assertThrows(io.peapod.base.error.InvalidArgumentException.class,
        () -> SeccompProfiles.localhost(tmp.resolve("link.json"), List.of()));
  }

  @Test
  void seccomp_localhost_dockerConditions_areJudgedForTheContainer() throws Exception {
    Path docker = Files.writeString(tmp.resolve("d.json"), """
        {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [
          {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
          {"names": ["mount"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
          {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
          {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
          {"names": ["future"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}}]}
        """);
    String plain = Json.write(SeccompProfiles.localhost(docker, OciSpecs.DEFAULT_CAPABILITIES));
    assertFalse(plain.contains("\"mount\""), plain);
    assertTrue(plain.contains("clone3") && plain.contains("ptrace") && !plain.contains("future"), plain);
    String admin = Json.write(SeccompProfiles.localhost(docker, List.of("CAP_SYS_ADMIN")));
    assertTrue(admin.contains("\"mount\"") && !admin.contains("clone3"), admin);
    assertTrue(SeccompProfiles.kernelAtLeast("6.1.0-27-amd64", "4.8"));
    assertFalse(SeccompProfiles.kernelAtLeast("4.4.0", "4.8"));
  }
}
