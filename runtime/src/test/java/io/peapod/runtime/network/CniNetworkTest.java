package io.peapod.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.runtime.api.PortMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/// The CNI chain against fake plugins: shell scripts that record their environment and stdin and
/// answer like a plugin would (the `fail` plugin answers with a CNI error).
class CniNetworkTest {
  @TempDir Path tmp;

  private Path fakePlugin(String name, String answer, int exit) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path p = bin.resolve(name);
    Files.writeString(p, "#!/bin/sh\n"
        + "{ echo \"$CNI_COMMAND $CNI_CONTAINERID $CNI_NETNS $CNI_IFNAME $CNI_ARGS\"; cat; echo; } >> "
        + tmp.resolve("calls-" + name) + "\n"
        + "echo '" + answer + "'\nexit " + exit + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return bin;
  }

  private List<String> calls(String plugin) throws Exception {
    return Files.readAllLines(tmp.resolve("calls-" + plugin));
  }

  private static final String RESULT = "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.88.0.7/16\",\"gateway\":"
      + "\"10.88.0.1\"}]}";

  private static PodNetworkRequest request() {
    return new PodNetworkRequest("sandbox1", "/run/peapod/netns/sandbox1", "web", "default", "uid-1",
        List.of(new PortMapping("TCP", 80, 8080, "")));
  }

  @Test
  void setUp_chainsPrevResult_passesPortMappings_andParsesTheIp() throws Exception {
    Path bin = fakePlugin("bridge", RESULT, 0);
    fakePlugin("portmap", "", 0);
    CniConfig cfg = CniConfig.parse("""
        {"cniVersion":"1.0.0","name":"net","plugins":[{"type":"bridge"},
          {"type":"portmap","capabilities":{"portMappings":true}}]}""", tmp.resolve("x.conflist"));
    CniResult r = new CniNetwork(cfg, new CniExec(List.of(bin)), io.peapod.base.metrics.Timings.NONE).setUp(request());
    assertEquals("10.88.0.7", r.ip());
    assertEquals("10.88.0.1", r.gateway());
    List<String> bridge = calls("bridge");
    assertEquals("ADD sandbox1 /run/peapod/netns/sandbox1 eth0 IgnoreUnknown=1;K8S_POD_NAMESPACE=default;"
        + "K8S_POD_NAME=web;K8S_POD_INFRA_CONTAINER_ID=sandbox1;K8S_POD_UID=uid-1", bridge.get(0));
    JsonNode bridgeConf = Json.parseNode(bridge.get(1));
    assertEquals("net", bridgeConf.get("name").text(""));
    assertTrue(bridgeConf.get("runtimeConfig").isMissing(), "bridge did not ask for portMappings");
    JsonNode portmapConf = Json.parseNode(calls("portmap").get(1));
    assertEquals("10.88.0.7/16", portmapConf.get("prevResult").get("ips").list().getFirst().get("address").text(""));
    assertEquals(8080, portmapConf.get("runtimeConfig").get("portMappings").list().getFirst().get("hostPort").asLong(0));
  }

  @Test
  void tearDown_runsPluginsInReverse_withTheCachedResult() throws Exception {
    Path bin = fakePlugin("bridge", "", 0);
    fakePlugin("portmap", "", 0);
    CniConfig cfg = CniConfig.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"bridge\"},"
        + "{\"type\":\"portmap\"}]}", tmp.resolve("x.conflist"));
    new CniNetwork(cfg, new CniExec(List.of(bin)), io.peapod.base.metrics.Timings.NONE).tearDown(request(), RESULT);
    assertTrue(calls("portmap").get(0).startsWith("DEL sandbox1"));
    assertEquals("10.88.0.7/16", Json.parseNode(calls("bridge").get(1)).get("prevResult").get("ips").list().getFirst()
        .get("address").text(""));
    assertTrue(Files.getLastModifiedTime(tmp.resolve("calls-portmap")).toMillis()
        <= Files.getLastModifiedTime(tmp.resolve("calls-bridge")).toMillis(), "portmap is deleted before bridge");
  }

  @Test
  void setUp_pluginError_carriesThePluginsMessage_andUndoesWithDel() throws Exception {
    Path bin = fakePlugin("bridge", RESULT, 0);
    fakePlugin("fail", "{\"cniVersion\":\"1.0.0\",\"code\":11,\"msg\":\"no IP addresses available\"}", 1);
    CniConfig cfg = CniConfig.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"net\",\"plugins\":[{\"type\":\"bridge\"},"
        + "{\"type\":\"fail\"}]}", tmp.resolve("x.conflist"));
    var e = assertThrows(FailedPreconditionException.class,
        () -> new CniNetwork(cfg, new CniExec(List.of(bin)), io.peapod.base.metrics.Timings.NONE).setUp(request()));
    assertTrue(e.getMessage().contains("CNI plugin fail ADD failed: no IP addresses available"), e.getMessage());
    assertTrue(calls("bridge").stream().anyMatch(l -> l.startsWith("DEL sandbox1")), "the ADD was undone");
  }

  @Test
  void load_emptyDir_writesPeapodsDefault() throws Exception {
    CniConfig cfg = CniConfig.load(tmp.resolve("net.d"), new CniConfig.Defaults("peapod", "peapod0", "10.88.0.0/16",
        tmp.resolve("ipam")));
    assertEquals("peapod", cfg.name());
    assertEquals(List.of("bridge", "portmap"), cfg.plugins().stream().map(p -> p.get("type").text("")).toList());
    assertTrue(Files.exists(tmp.resolve("net.d/87-peapod-bridge.conflist")));
    Files.writeString(tmp.resolve("net.d/10-user.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"user\","
        + "\"plugins\":[{\"type\":\"ptp\"}]}");
    assertEquals("user", CniConfig.load(tmp.resolve("net.d"), null).name(), "a user's config comes first by name");
  }

  @Test
  void peapodsDefault_isMasqueradedByOneNodeRule_notByTheBridge() throws Exception {
    CniConfig.Defaults d = new CniConfig.Defaults("peapod", "peapod0", "10.88.0.0/16", tmp.resolve("ipam"));
    CniConfig cfg = CniConfig.load(tmp.resolve("net.d"), d);
    assertEquals(false, cfg.plugins().getFirst().get("ipMasq").asBoolean(true));
    assertEquals(Optional.of("10.88.0.0/16"), cfg.masqueradedSubnet());
    Files.writeString(tmp.resolve("net.d/10-user.conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\"user\","
        + "\"plugins\":[{\"type\":\"bridge\",\"ipam\":{\"ranges\":[[{\"subnet\":\"10.9.0.0/16\"}]]}}]}");
    assertEquals(Optional.empty(), CniConfig.load(tmp.resolve("net.d"), d).masqueradedSubnet(),
        "a user's config does what it says");
  }

  @Test
  void anEarlierDefault_isRewritten_onlyWhileNoAddressIsLeased() throws Exception {
    CniConfig.Defaults d = new CniConfig.Defaults("peapod", "peapod0", "10.88.0.0/16", tmp.resolve("ipam"));
    Path file = tmp.resolve("net.d/87-peapod-bridge.conflist");
    Files.createDirectories(file.getParent());
    String earlier = Json.pretty(CniConfig.defaultList(d, true));
    Files.writeString(file, earlier);
    Files.createDirectories(tmp.resolve("ipam/peapod"));
    Files.writeString(tmp.resolve("ipam/peapod/10.88.0.2"), "sandbox1\neth0");
    assertEquals(Optional.empty(), CniConfig.load(tmp.resolve("net.d"), d).masqueradedSubnet(),
        "a leased address's DEL needs the config its ADD had");
    assertEquals(earlier, Files.readString(file));
    Files.delete(tmp.resolve("ipam/peapod/10.88.0.2"));
    assertEquals(Optional.of("10.88.0.0/16"), CniConfig.load(tmp.resolve("net.d"), d).masqueradedSubnet());
  }
}
