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
    Duration backOff) {

  static final List<String> KEYS = List.of("state-root", "run-root", "log-root", "socket", "socket-mode",
      "oci-runtime", "cgroup-parent", "sandbox-image", "log-level", "config", "cni-conf-dir", "cni-bin-dir",
      "pod-cidr", "cni-bridge", "cni-network", "registries-config", "backoff");

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
    Path run = Path.of(merged.getOrDefault("run-root", "/run/peapod"));
    String sandboxImage = merged.getOrDefault("sandbox-image", "");
    return new DaemonConfig(Path.of(merged.getOrDefault("state-root", "/var/lib/peapod")), run,
        Path.of(merged.getOrDefault("log-root", "/var/log/pods")),
        Path.of(merged.getOrDefault("socket", run.resolve("peapod.sock").toString())),
        merged.getOrDefault("socket-mode", "rw-------"), merged.getOrDefault("oci-runtime", "auto"),
        merged.getOrDefault("cgroup-parent", "peapod"),
        sandboxImage.isEmpty() ? Optional.empty() : Optional.of(sandboxImage), merged.getOrDefault("log-level", "info"),
        Path.of(merged.getOrDefault("cni-conf-dir", "/etc/cni/net.d")),
        Arrays.stream(merged.getOrDefault("cni-bin-dir", "/usr/lib/cni:/opt/cni/bin").split(":")).map(Path::of).toList(),
        merged.getOrDefault("pod-cidr", "10.88.0.0/16"), merged.getOrDefault("cni-bridge", "peapod0"),
        merged.getOrDefault("cni-network", "peapod"),
        Path.of(merged.getOrDefault("registries-config", "/etc/peapod/registries.json")),
        duration(merged.getOrDefault("backoff", "10s"), "backoff"));
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
