package io.peapod.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.runtime.api.Resources;
import io.peapod.sys.Namespace;
import io.peapod.sys.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OciSpecsTest {
  @TempDir Path tmp;

  private static JsonNode spec(HostLimits limits, int oom, List<String> caps) {
    SpecInput in = new SpecInput(List.of("sleep", "1"), List.of("A=1"), "", ProcessUser.ROOT, Path.of("/r"), false,
        Optional.empty(), List.of(NamespaceJoin.fresh(Namespace.MNT), NamespaceJoin.fresh(Namespace.PID),
            NamespaceJoin.join(Namespace.NET, Path.of("/run/peapod/netns/x"))),
        List.of(new BindMount("/h", "/c", true)), "/peapod/podx/c", new Resources(2, 50000, 100000, 1 << 20, oom), caps,
        false);
    return Json.parseNode(Json.write(new OciSpecs(limits).spec(in)));
  }

  @Test
  void spec_namespacesNewOrJoinedByPath() {
    JsonNode ns = spec(new HostLimits(20000, 96365, 0), 0, OciSpecs.DEFAULT_CAPABILITIES).get("linux").get("namespaces");
    assertEquals("mount", ns.list().get(0).get("type").text(""));
    assertTrue(ns.list().get(0).get("path").isMissing());
    assertEquals("network", ns.list().get(2).get("type").text(""));
    assertEquals("/run/peapod/netns/x", ns.list().get(2).get("path").text(""));
  }

  @Test
  void spec_rlimitsAndOomClampedToHost() {
    JsonNode p = spec(new HostLimits(20000, 96365, 0), -998, OciSpecs.DEFAULT_CAPABILITIES).get("process");
    assertEquals(20000, p.get("rlimits").list().get(0).get("hard").asLong(0));
    assertEquals(96365, p.get("rlimits").list().get(1).get("hard").asLong(0));
    assertEquals(0, p.get("oomScoreAdj").asLong(-1));
    assertEquals(-998, spec(new HostLimits(1 << 21, 1 << 21, -1000), -998, List.of()).get("process").get("oomScoreAdj")
        .asLong(0));
  }

  @Test
  void spec_resourcesAndBindMount() {
    JsonNode s = spec(new HostLimits(20000, 96365, 0), 0, List.of());
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
    Files.writeString(tmp.resolve("self/status"), "CapEff:\t000001fffeffffff\n");
    HostLimits l = HostLimits.detect(new ProcFs(tmp));
    assertEquals(20000, l.nofile());
    assertEquals(0, l.minOomScoreAdj(), "CAP_SYS_RESOURCE (bit 24) is missing from 1fffeffffff");
  }

  @Test
  void processUser_namesFromImagePasswd() throws Exception {
    Files.createDirectories(tmp.resolve("etc"));
    Files.writeString(tmp.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\napp:x:1000:1001::/:/bin/sh\n");
    Files.writeString(tmp.resolve("etc/group"), "web:x:33:\n");
    assertEquals(new ProcessUser(1000, 1001), ProcessUser.resolve("app", Optional.empty(), Optional.empty(), tmp));
    assertEquals(new ProcessUser(1000, 33), ProcessUser.resolve("app:web", Optional.empty(), Optional.empty(), tmp));
    assertEquals(new ProcessUser(1000, 1001), ProcessUser.resolve("", Optional.of(1000L), Optional.empty(), tmp));
    assertEquals(new ProcessUser(5, 0), ProcessUser.resolve("", Optional.of(5L), Optional.empty(), tmp));
  }
}
