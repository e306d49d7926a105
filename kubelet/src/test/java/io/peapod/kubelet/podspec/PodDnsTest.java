package io.peapod.kubelet.podspec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.kubelet.manifest.ManifestParser;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.runtime.api.DnsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PodDnsTest {
  @TempDir Path tmp;

  private static PodManifest pod(String specExtra) {
    return new ManifestParser().parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + specExtra
        + "  containers: [{name: c, image: busybox}]\n", "p.yaml").pods().getFirst().pod();
  }

  @Test
  void defaultPolicy_usesNodeResolvConf_plusDnsConfig() throws Exception {
    Path node = Files.writeString(tmp.resolve("resolv.conf"), "search corp.example\nnameserver 192.0.2.53\n");
    DnsConfig d = PodDns.config(pod("  dnsConfig: {nameservers: [10.0.0.10], options: [{name: ndots, value: '1'}]}\n"),
        node);
    assertEquals(List.of("192.0.2.53", "10.0.0.10"), d.servers());
    assertEquals(List.of("corp.example"), d.searches());
    assertEquals(List.of("ndots:1"), d.options());
  }

  @Test
  void nonePolicy_ignoresTheNode() throws Exception {
    Path node = Files.writeString(tmp.resolve("resolv.conf"), "nameserver 192.0.2.53\n");
    DnsConfig d = PodDns.config(pod("  dnsPolicy: None\n  dnsConfig: {nameservers: [10.0.0.10]}\n"), node);
    assertEquals(List.of("10.0.0.10"), d.servers());
  }

  @Test
  void hosts_namePodAndAliases() {
    String hosts = PodDns.hosts(pod("  hostAliases: [{ip: 10.1.2.3, hostnames: [db]}]\n"), "10.88.0.5",
        tmp.resolve("none"));
    assertTrue(hosts.contains("127.0.0.1\tlocalhost\n"));
    assertTrue(hosts.contains("10.88.0.5\tp\n"));
    assertTrue(hosts.endsWith("# Entries added by HostAliases.\n10.1.2.3\tdb\n"), hosts);
  }
}
