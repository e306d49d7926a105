package io.peapod.runtime.network;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.runtime.api.PortMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import io.peapod.base.metrics.Timings;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/// Sets a pod's network up and tears it down by running a CNI configuration list: ADD through the
/// plugins in order, each given the previous result; DEL in reverse order with the cached result.
/// DEL is safe to repeat and to run for a pod whose ADD never finished.
public final class CniNetwork {
  private static final String IF_NAME = "eth0";
  private static final Pattern IP = Pattern.compile("[0-9.]+|[0-9a-fA-F:]+");
  private final CniConfig config;
  private final CniExec exec;
  private final Timings timings;

  /// `timings` hears how long each whole ADD and DEL took (`ADD`, `DEL`), failed ones included.
  public CniNetwork(CniConfig config, CniExec exec, Timings timings) {
    this.config = config;
    this.exec = exec;
    this.timings = timings;
  }

  public CniConfig config() {
    return config;
  }

  public CniResult setUp(PodNetworkRequest r) {
    long start = System.nanoTime();
    try {
      return add(r);
    } finally {
      timings.observe("ADD", Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private CniResult add(PodNetworkRequest r) {
    CniExec.Invocation inv = new CniExec.Invocation("ADD", r.sandboxId(), r.netnsPath(), IF_NAME, r.cniArgs());
    Optional<JsonNode> result = Optional.empty();
    try {
      for (JsonNode plugin : config.plugins()) {
        Optional<JsonNode> out = exec.run(type(plugin), inv, pluginConfig(plugin, r, result));
        if (out.isPresent()) {
          result = out;
        }
      }
    } catch (PeapodException e) {
      try {
        tearDown(r, result.map(n -> Json.write(n.raw())).orElse(""));
      } catch (PeapodException undo) {
        e.addSuppressed(undo);
      }
      throw e;
    }
    JsonNode res = result.orElseThrow(() -> new InternalException("CNI network "
        + config.name() + " returned no result for ADD", null));
    String ip = "";
    String gateway = "";
    for (JsonNode addr : res.get("ips").list()) {
      String a = addr.get("address").text("");
      if (a.contains(".")) {
        ip = a.substring(0, a.indexOf('/'));
        gateway = addr.get("gateway").text("");
        break;
      }
    }
    return new CniResult(ip, gateway, Json.write(res.raw()));
  }

  /// Runs DEL for every plugin, last first; every plugin is asked even when one fails, and the first
  /// failure is thrown with the rest attached.
  public void tearDown(PodNetworkRequest r, String cachedResult) {
    long start = System.nanoTime();
    try {
      delete(r, cachedResult);
    } finally {
      timings.observe("DEL", Duration.ofNanos(System.nanoTime() - start));
    }
  }

  private void delete(PodNetworkRequest r, String cachedResult) {
    CniExec.Invocation inv = new CniExec.Invocation("DEL", r.sandboxId(), r.netnsPath(), IF_NAME, r.cniArgs());
    Optional<JsonNode> prev = cachedResult.isEmpty() ? Optional.empty() : Optional.of(Json.parseNode(cachedResult));
    PeapodException first = null;
    for (JsonNode plugin : config.plugins().reversed()) {
      try {
        exec.run(type(plugin), inv, pluginConfig(plugin, r, prev));
      } catch (PeapodException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /// The container ids holding an address in this network's host-local leases (its `dataDir`, or the
  /// plugin's default `/var/lib/cni/networks`), so that addresses of sandboxes nobody knows any more can
  /// be given back. Empty for a network whose IPAM is not host-local.
  public Set<String> leaseHolders() {
    Set<String> holders = new TreeSet<>();
    for (JsonNode plugin : config.plugins()) {
      JsonNode ipam = plugin.get("ipam");
      if (!ipam.get("type").text("").equals("host-local")) {
        continue;
      }
      Path dir = Path.of(ipam.get("dataDir").text("/var/lib/cni/networks")).resolve(config.name());
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(f -> IP.matcher(f.getFileName().toString()).matches()).toList()) {
          String content = Files.readString(f).strip();
          holders.add(content.lines().findFirst().orElse("").strip());
        }
      } catch (IOException e) {
        throw new InternalException("read CNI leases in " + dir + ": " + e.getMessage(), e);
      }
    }
    holders.remove("");
    return holders;
  }

  private static String type(JsonNode plugin) {
    return plugin.get("type").text().orElseThrow(() -> new InvalidArgumentException(
        "a CNI plugin in the config list has no type"));
  }

  /// The plugin's own config plus the list's name and version, the capabilities it asked for (only
  /// portMappings here) as `runtimeConfig`, and the previous result.
  private Map<String, Object> pluginConfig(JsonNode plugin, PodNetworkRequest r, Optional<JsonNode> prev) {
    @SuppressWarnings("unchecked")
    Map<String, Object> conf = new LinkedHashMap<>((Map<String, Object>) plugin.raw());
    conf.put("name", config.name());
    conf.put("cniVersion", config.cniVersion());
    if (plugin.get("capabilities").get("portMappings").asBoolean(false) && !r.portMappings().isEmpty()) {
      List<Object> ports = new ArrayList<>();
      for (PortMapping p : r.portMappings()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostPort", p.hostPort());
        m.put("containerPort", p.containerPort());
        m.put("protocol", p.protocol().toLowerCase(Locale.ROOT));
        if (!p.hostIp().isEmpty()) {
          m.put("hostIP", p.hostIp());
        }
        ports.add(m);
      }
      conf.put("runtimeConfig", Map.of("portMappings", ports));
    }
    prev.ifPresent(p -> conf.put("prevResult", p.raw()));
    return conf;
  }
}
