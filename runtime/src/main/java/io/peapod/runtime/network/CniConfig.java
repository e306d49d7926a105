package io.peapod.runtime.network;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/// A network configuration list (CNI spec, "Network Configuration Lists"): its name, version and plugins.
public record CniConfig(String name, String cniVersion, List<JsonNode> plugins, Path source) {
  public CniConfig {
    plugins = List.copyOf(plugins);
  }

  /// How peapod's default network looks when the config directory has none.
  public record Defaults(String networkName, String bridge, String subnet, Path ipamDataDir) {}

  /// The file peapod writes its default network to.
  static final String DEFAULT_FILE = "87-peapod-bridge.conflist";

  /// Loads the first `.conflist` or `.conf` in `dir` in name order, as containerd does; when there is
  /// none, writes peapod's default (a bridge with host-local IPAM and portmap) and loads that. An earlier
  /// version's default (the bridge masquerading per pod) is rewritten while no address of it is leased.
  public static CniConfig load(Path dir, Defaults defaults) {
    try {
      Files.createDirectories(dir);
      Path chosen;
      try (Stream<Path> s = Files.list(dir)) {
        chosen = s.filter(p -> p.toString().endsWith(".conflist") || p.toString().endsWith(".conf")).sorted()
            .findFirst().orElse(null);
      }
      if (chosen == null) {
        chosen = dir.resolve(DEFAULT_FILE);
        Files.writeString(chosen, Json.pretty(defaultList(defaults, false)));
      } else if (chosen.getFileName().toString().equals(DEFAULT_FILE)
          && Files.readString(chosen).equals(Json.pretty(defaultList(defaults, true))) && noLeases(defaults)) {
        Files.writeString(chosen, Json.pretty(defaultList(defaults, false)));
      }
      return parse(Files.readString(chosen), chosen);
    } catch (IOException e) {
      throw new InternalException("read CNI config in " + dir + ": " + e.getMessage(), e);
    }
  }

  static CniConfig parse(String text, Path source) {
    JsonNode n = Json.parseNode(text);
    String name = n.get("name").text().orElseThrow(() -> new InvalidArgumentException(source + ": CNI config has no name"));
    String version = n.get("cniVersion").text("1.0.0");
    List<JsonNode> plugins = n.has("plugins") ? n.get("plugins").list() : List.of(n);
    if (plugins.isEmpty()) {
      throw new FailedPreconditionException(source + ": CNI config list has no plugins");
    }
    return new CniConfig(name, version, plugins, source);
  }

  private static boolean noLeases(Defaults d) throws IOException {
    Path leases = d.ipamDataDir().resolve(d.networkName());
    if (!Files.isDirectory(leases)) {
      return true;
    }
    try (Stream<Path> s = Files.list(leases)) {
      return s.noneMatch(p -> p.getFileName().toString().matches("[0-9a-fA-F.:]+"));
    }
  }

  /// The subnet peapod masquerades for this network ([PodMasquerade]): that of its own default file, whose
  /// bridge does not masquerade itself. Empty for any other config: its plugins do what it says.
  public Optional<String> masqueradedSubnet() {
    if (!peapodDefault()) {
      return Optional.empty();
    }
    return plugins.stream().filter(p -> p.get("type").text("").equals("bridge") && !p.get("ipMasq").asBoolean(false))
        .map(p -> p.get("ipam").get("ranges").list()).filter(r -> !r.isEmpty() && !r.getFirst().list().isEmpty())
        .map(r -> r.getFirst().list().getFirst().get("subnet").text("")).filter(x -> !x.isEmpty()).findFirst();
  }

  /// Whether this is the network peapod wrote (by its file's name): a bridge with host-local addresses,
  /// whose plugins know nothing of the pod a sandbox is for, so a sandbox can be made before its pod.
  public boolean peapodDefault() {
    return source.getFileName().toString().equals(DEFAULT_FILE);
  }

  /// peapod's default network; `bridgeMasquerades` only for the file an earlier version wrote.
  static Map<String, Object> defaultList(Defaults d, boolean bridgeMasquerades) {
    Map<String, Object> ipam = new LinkedHashMap<>();
    ipam.put("type", "host-local");
    ipam.put("ranges", List.of(List.of(Map.of("subnet", d.subnet()))));
    ipam.put("routes", List.of(Map.of("dst", "0.0.0.0/0")));
    ipam.put("dataDir", d.ipamDataDir().toString());
    Map<String, Object> bridge = new LinkedHashMap<>();
    bridge.put("type", "bridge");
    bridge.put("bridge", d.bridge());
    bridge.put("isGateway", true);
    // peapod masquerades the whole subnet with one rule (PodMasquerade); the plugin's would be per pod.
    bridge.put("ipMasq", bridgeMasquerades);
    bridge.put("hairpinMode", true);
    bridge.put("ipam", ipam);
    Map<String, Object> portmap = new LinkedHashMap<>();
    portmap.put("type", "portmap");
    portmap.put("capabilities", Map.of("portMappings", true));
    portmap.put("snat", true);
    Map<String, Object> list = new LinkedHashMap<>();
    list.put("cniVersion", "1.0.0");
    list.put("name", d.networkName());
    list.put("plugins", List.of(bridge, portmap));
    return list;
  }
}
