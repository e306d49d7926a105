package io.peapod.runtime.api;

import java.util.List;

/// CRI's DNSConfig: what the pod's /etc/resolv.conf says. The kubelet computes it from `dnsPolicy`
/// and `dnsConfig`; the runtime writes it.
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
  public DnsConfig {
    servers = List.copyOf(servers);
    searches = List.copyOf(searches);
    options = List.copyOf(options);
  }
}
