package io.peapod.kubelet.podspec;

import io.peapod.base.error.InternalException;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.runtime.api.DnsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// The kubelet's DNS and hosts decisions for a pod. There is no cluster DNS on a single node, so
/// `ClusterFirst` resolves like `Default` (the node's resolv.conf), as kubelet does without
/// `--cluster-dns`; `None` uses `dnsConfig` alone; `dnsConfig` is appended to the others.
public final class PodDns {
  private PodDns() {}

  public static DnsConfig config(PodManifest pod, Path nodeResolvConf) {
    List<String> servers = new ArrayList<>();
    List<String> searches = new ArrayList<>();
    List<String> options = new ArrayList<>();
    if (!pod.dnsPolicy().equals("None")) {
      for (String line : lines(nodeResolvConf)) {
        String[] f = line.trim().split("\\s+");
        switch (f[0]) {
          case "nameserver" -> servers.addAll(List.of(f).subList(1, f.length));
          case "search", "domain" -> searches.addAll(List.of(f).subList(1, f.length));
          case "options" -> options.addAll(List.of(f).subList(1, f.length));
          default -> { }
        }
      }
    }
    servers.addAll(pod.dnsConfig().nameservers());
    searches.addAll(pod.dnsConfig().searches());
    options.addAll(pod.dnsConfig().options());
    return new DnsConfig(servers.stream().distinct().toList(), searches.stream().distinct().toList(),
        options.stream().distinct().toList());
  }

  /// The pod's /etc/hosts, in kubelet's format: the pod's own name and IP, then `hostAliases`. A
  /// host-network pod gets the node's file plus the aliases.
  public static String hosts(PodManifest pod, String ip, Path nodeHosts) {
    StringBuilder sb = new StringBuilder("# Kubernetes-managed hosts file.\n");
    if (pod.hostNetwork()) {
      lines(nodeHosts).forEach(l -> sb.append(l).append('\n'));
    } else {
      sb.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n")
          .append("fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n");
      if (!ip.isEmpty()) {
        sb.append(ip).append('\t').append(pod.hostname()).append('\n');
      }
    }
    if (!pod.hostAliases().isEmpty()) {
      sb.append("\n# Entries added by HostAliases.\n");
      pod.hostAliases().forEach(a -> sb.append(a.ip()).append('\t').append(String.join("\t", a.hostnames())).append('\n'));
    }
    return sb.toString();
  }

  private static List<String> lines(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p) : List.of();
    } catch (IOException e) {
      throw new InternalException("read " + p, e);
    }
  }
}
