package io.peapod.runtime.sandbox;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.api.DnsConfig;
import io.peapod.runtime.oci.BindMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// The per-pod files the runtime owns and bind-mounts into every container: /etc/hostname and
/// /etc/resolv.conf (from the sandbox's DNS config, as CRI runtimes write it). /etc/hosts is the
/// kubelet's, which passes it as a mount.
public final class PodFiles {
  private PodFiles() {}

  static void write(Path sandboxDir, String hostname, DnsConfig dns) {
    try {
      // Every user of a container reads these: 0644, whatever the daemon's umask.
      Files.writeString(sandboxDir.resolve("hostname"), hostname + "\n");
      Files.setAttribute(sandboxDir.resolve("hostname"), "unix:mode", 0644);
      Files.writeString(sandboxDir.resolve("resolv.conf"), resolvConf(dns));
      Files.setAttribute(sandboxDir.resolve("resolv.conf"), "unix:mode", 0644);
    } catch (IOException e) {
      throw new InternalException("write pod files in " + sandboxDir, e);
    }
  }

  static String resolvConf(DnsConfig dns) {
    StringBuilder sb = new StringBuilder();
    if (!dns.searches().isEmpty()) {
      sb.append("search ").append(String.join(" ", dns.searches())).append('\n');
    }
    dns.servers().forEach(s -> sb.append("nameserver ").append(s).append('\n'));
    if (!dns.options().isEmpty()) {
      sb.append("options ").append(String.join(" ", dns.options())).append('\n');
    }
    return sb.toString();
  }

  public static List<BindMount> mounts(Path sandboxDir) {
    return List.of(new BindMount(sandboxDir.resolve("hostname").toString(), "/etc/hostname", false),
        new BindMount(sandboxDir.resolve("resolv.conf").toString(), "/etc/resolv.conf", false));
  }
}
