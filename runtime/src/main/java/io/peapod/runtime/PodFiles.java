package io.peapod.runtime;

import io.peapod.base.error.InternalException;
import io.peapod.runtime.oci.BindMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// The per-pod files bind-mounted into every container: /etc/hostname, /etc/hosts, /etc/resolv.conf.
final class PodFiles {
  private PodFiles() {}

  static void write(Path sandboxDir, String hostname, String ip) {
    try {
      Files.writeString(sandboxDir.resolve("hostname"), hostname + "\n");
      StringBuilder hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
      if (!ip.isEmpty()) {
        hosts.append(ip).append('\t').append(hostname).append('\n');
      }
      Files.writeString(sandboxDir.resolve("hosts"), hosts.toString());
      Path hostResolv = Path.of("/etc/resolv.conf");
      Files.writeString(sandboxDir.resolve("resolv.conf"), Files.isReadable(hostResolv) ? Files.readString(hostResolv) : "");
    } catch (IOException e) {
      throw new InternalException("write pod files in " + sandboxDir, e);
    }
  }

  static List<BindMount> mounts(Path sandboxDir) {
    return List.of(new BindMount(sandboxDir.resolve("hostname").toString(), "/etc/hostname", false),
        new BindMount(sandboxDir.resolve("hosts").toString(), "/etc/hosts", false),
        new BindMount(sandboxDir.resolve("resolv.conf").toString(), "/etc/resolv.conf", false));
  }
}
