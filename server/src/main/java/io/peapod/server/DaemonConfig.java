package io.peapod.server;

import io.peapod.base.error.InvalidArgumentException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/// The daemon's settings: flags (`--state-root=/x` or `--state-root /x`) over a config file
/// (`--config FILE`, `key = value` lines with the flags' names) over the defaults below.
public record DaemonConfig(Path stateRoot, Path runRoot, Path logRoot, Path socket, String socketMode,
    String ociRuntime, String cgroupParent, Optional<String> sandboxImage, String logLevel, Path cniConfDir,
    List<Path> cniBinDirs, String podCidr, String cniBridge, String cniNetwork, Path registriesConfig,
    Duration backOff, Duration maxBackOff, long containerLogMaxSize, int containerLogMaxFiles, Path podManifestPath,
    int maxConnections, boolean seccompDefault, Path seccompProfileRoot, List<String> allowedUnsafeSysctls,
    Optional<java.net.InetSocketAddress> web, boolean webLogs, Optional<Path> criSocket,
    java.net.InetSocketAddress streamingAddress, int sandboxPool, String podMonitor) {
  public DaemonConfig {
    if (maxBackOff.compareTo(backOff) < 0) {
      throw new InvalidArgumentException("--backoff-max " + maxBackOff.toMillis() + " ms is shorter than --backoff "
          + backOff.toMillis() + " ms; make it at least as long");
    }
  }

  static final List<String> KEYS = List.of("state-root", "run-root", "log-root", "socket", "socket-mode",
      "oci-runtime", "cgroup-parent", "sandbox-image", "log-level", "config", "cni-conf-dir", "cni-bin-dir",
      "pod-cidr", "cni-bridge", "cni-network", "registries-config", "backoff", "backoff-max", "container-log-max-size",
      "container-log-max-files", "pod-manifest-path", "max-connections", "seccomp-default", "seccomp-profile-root",
      "allowed-unsafe-sysctls", "web", "web-logs", "cri-socket", "streaming-address",
      "sandbox-pool", "pod-monitor");

  public static DaemonConfig parse(List<String> args) {
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new InvalidArgumentException("unexpected argument '" + a + "'; flags are --name=value");
      }
      String kv = a.substring(2);
      int eq = kv.indexOf('=');
      String key = eq < 0 ? kv : kv.substring(0, eq);
      if (!KEYS.contains(key)) {
        throw new InvalidArgumentException("unknown flag --" + key + "; known: " + KEYS);
      }
      String value;
      if (eq >= 0) {
        value = kv.substring(eq + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new InvalidArgumentException("flag --" + key + " needs a value");
      }
      flags.put(key, value);
    }
    Map<String, String> merged = new LinkedHashMap<>();
    if (flags.containsKey("config")) {
      Path file = Path.of(flags.get("config"));
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new InvalidArgumentException("read config file " + file + ": " + e.getMessage());
      }
      for (String k : p.stringPropertyNames()) {
        if (!KEYS.contains(k)) {
          throw new InvalidArgumentException(file + ": unknown key '" + k + "'; known: " + KEYS);
        }
        merged.put(k, p.getProperty(k).trim());
      }
    }
    merged.putAll(flags);
    // Absolute: the OCI runtime resolves the paths it is given from the container's bundle.
    Path run = Path.of(merged.getOrDefault("run-root", "/run/peapod")).toAbsolutePath().normalize();
    String sandboxImage = merged.getOrDefault("sandbox-image", "");
    Path state = Path.of(merged.getOrDefault("state-root", "/var/lib/peapod")).toAbsolutePath().normalize();
    // Layers and snapshots under it are named in overlayfs options, which ',' and ':' separate.
    if (state.toString().contains(",") || state.toString().contains(":")) {
      throw new InvalidArgumentException("state root (state-root) '" + state + "' holds ',' or ':', which"
          + " overlayfs mount options cannot carry (its layer paths go into them); choose a path without them");
    }
    String seccompDefault = merged.getOrDefault("seccomp-default", "false");
    if (!List.of("true", "false").contains(seccompDefault)) {
      throw new InvalidArgumentException("--seccomp-default '" + seccompDefault + "' must be true or false");
    }
    String webLogs = merged.getOrDefault("web-logs", "false");
    if (!List.of("true", "false").contains(webLogs)) {
      throw new InvalidArgumentException("--web-logs '" + webLogs + "' must be true or false");
    }
    return new DaemonConfig(state, run,
        Path.of(merged.getOrDefault("log-root", "/var/log/pods")).toAbsolutePath().normalize(),
        Path.of(merged.getOrDefault("socket", run.resolve("peapod.sock").toString())),
        merged.getOrDefault("socket-mode", "rw-------"), merged.getOrDefault("oci-runtime", "auto"),
        merged.getOrDefault("cgroup-parent", "peapod"),
        sandboxImage.isEmpty() ? Optional.empty() : Optional.of(sandboxImage), merged.getOrDefault("log-level", "info"),
        Path.of(merged.getOrDefault("cni-conf-dir", "/etc/cni/net.d")),
        Arrays.stream(merged.getOrDefault("cni-bin-dir", "/usr/lib/cni:/opt/cni/bin").split(":")).map(Path::of).toList(),
        merged.getOrDefault("pod-cidr", "10.88.0.0/16"), merged.getOrDefault("cni-bridge", "peapod0"),
        merged.getOrDefault("cni-network", "peapod"),
        Path.of(merged.getOrDefault("registries-config", "/etc/peapod/registries.json")),
        duration(merged.getOrDefault("backoff", "10s"), "backoff"),
        duration(merged.getOrDefault("backoff-max", "5m"), "backoff-max"),
        size(merged.getOrDefault("container-log-max-size", "10Mi"), "container-log-max-size"),
        (int) number(merged.getOrDefault("container-log-max-files", "5"), "container-log-max-files", 2, 1000),
        Path.of(merged.getOrDefault("pod-manifest-path", "/etc/peapod/manifests")),
        (int) number(merged.getOrDefault("max-connections", "1024"), "max-connections", 16, 100_000),
        Boolean.parseBoolean(seccompDefault),
        Path.of(merged.getOrDefault("seccomp-profile-root", state.resolve("seccomp").toString())),
        Arrays.stream(merged.getOrDefault("allowed-unsafe-sysctls", "").split(",")).map(String::trim)
            .filter(x -> !x.isEmpty()).toList(),
        web(merged.getOrDefault("web", "off")), Boolean.parseBoolean(webLogs),
        Optional.of(merged.getOrDefault("cri-socket", run.resolve("cri.sock").toString())).filter(v -> !v.equals("off"))
            .map(Path::of),
        streaming(merged.getOrDefault("streaming-address", "127.0.0.1:0")),
        (int) number(merged.getOrDefault("sandbox-pool", "2"), "sandbox-pool", 0, 64),
        podMonitor(merged.getOrDefault("pod-monitor", "auto")));
  }

  /// `--pod-monitor auto|off|PATH`: peapod-podmon next to the daemon's code, none (conmon for every
  /// container), or that program. Its file name stays `peapod-podmon`: that is how a restarted daemon
  /// tells a monitor from another process that took its pid.
  static String podMonitor(String value) {
    if (value.equals("auto") || value.equals("off") || value.startsWith("/") && value.endsWith("/peapod-podmon")) {
      return value;
    }
    throw new InvalidArgumentException("--pod-monitor '" + value + "' must be auto, off or an absolute path to a"
        + " file named peapod-podmon");
  }

  /// `--streaming-address HOST:PORT` for CRI's exec, attach and port-forward URLs; port 0 picks a free one.
  static java.net.InetSocketAddress streaming(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || !value.substring(colon + 1).matches("\\d{1,5}")
        || Integer.parseInt(value.substring(colon + 1)) > 65535) {
      throw new InvalidArgumentException("--streaming-address '" + value + "' must be HOST:PORT (like 127.0.0.1:0,"
          + " where port 0 picks a free port)");
    }
    return new java.net.InetSocketAddress(value.substring(0, colon).replaceAll("^\\[|]$", ""),
        Integer.parseInt(value.substring(colon + 1)));
  }

  /// `--web HOST:PORT` (`off`, the default, serves no page).
  static Optional<java.net.InetSocketAddress> web(String value) {
    if (value.equals("off")) {
      return Optional.empty();
    }
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || !value.substring(colon + 1).matches("\\d{1,5}")) {
      throw new InvalidArgumentException("--web '" + value + "' must be HOST:PORT (like 127.0.0.1:7117) or off");
    }
    int port = Integer.parseInt(value.substring(colon + 1));
    if (port > 65535) {
      throw new InvalidArgumentException("--web port " + port + " must be at most 65535");
    }
    String host = value.substring(0, colon).replaceAll("^\\[|]$", "");
    if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
      throw new InvalidArgumentException("--web " + value + ": name one address (127.0.0.1, or this node's own);"
          + " the page answers only for the address it serves");
    }
    return Optional.of(new java.net.InetSocketAddress(host, port));
  }

  private static long number(String value, String key, long min, long max) {
    try {
      long n = Long.parseLong(value);
      if (n < min || n > max) {
        throw new InvalidArgumentException("--" + key + " " + n + " must be from " + min + " to " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException("--" + key + " '" + value + "' is not a whole number");
    }
  }

  /// A size as kubelet writes it: `10Mi`, `512Ki`, `1Gi`, or bytes. At least 64 KiB.
  static long size(String value, String key) {
    var m = Pattern.compile("(\\d+)(Ki|Mi|Gi)?").matcher(value);
    if (!m.matches()) {
      throw new InvalidArgumentException("--" + key + " '" + value + "' is not a size; write 10Mi, 512Ki or 1Gi");
    }
    long n = Long.parseLong(m.group(1));
    long bytes = m.group(2) == null ? n : switch (m.group(2)) {
      case "Ki" -> n << 10;
      case "Mi" -> n << 20;
      default -> n << 30;
    };
    if (bytes < 64 * 1024) {
      throw new InvalidArgumentException("--" + key + " " + value + " is too small; the least is 64Ki");
    }
    return bytes;
  }

  /// `500ms`, `10s`, `2m`.
  static Duration duration(String value, String key) {
    var m = Pattern.compile("(\\d+)(ms|s|m)").matcher(value);
    if (!m.matches()) {
      throw new InvalidArgumentException("--" + key + " '" + value + "' is not a duration; write 500ms, 10s or 2m");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      default -> Duration.ofMinutes(n);
    };
  }
}
