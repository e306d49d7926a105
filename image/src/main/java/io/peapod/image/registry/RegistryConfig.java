package io.peapod.image.registry;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// Per-registry settings, read from a JSON file:
/// ```
/// {"registries": {
///    "docker.io":      {"mirrors": ["http://127.0.0.1:5000"]},
///    "127.0.0.1:5000": {"insecure": true},
///    "reg.example":    {"ca": "/etc/peapod/certs/reg.pem", "username": "u", "password": "p"}}}
/// ```
/// A pull tries each mirror in order, then the registry itself. Plain HTTP is used only for hosts
/// marked insecure; localhost, 127.0.0.1 and [::1] are insecure unless configured otherwise.
public record RegistryConfig(Map<String, Host> hosts) {
  public RegistryConfig {
    hosts = Map.copyOf(hosts);
  }

  /// One host's settings.
  public record Host(List<String> mirrors, Optional<Boolean> insecure, Optional<Path> ca,
      Optional<Credentials> credentials) {
    public static final Host DEFAULT = new Host(List.of(), Optional.empty(), Optional.empty(), Optional.empty());

    public Host {
      mirrors = List.copyOf(mirrors);
    }
  }

  public record Credentials(String username, String password) {}

  /// Where a pull may go: a base URI and the settings that apply to it.
  public record Endpoint(URI base, String host, Optional<Path> ca, Optional<Credentials> credentials) {}

  public static final RegistryConfig EMPTY = new RegistryConfig(Map.of());

  public static RegistryConfig load(Path file) {
    if (!Files.exists(file)) {
      return EMPTY;
    }
    JsonNode root;
    try {
      root = Json.parseNode(Files.readString(file));
    } catch (IOException e) {
      throw new InvalidArgumentException("read registries config " + file + ": " + e.getMessage());
    }
    Map<String, Host> hosts = new LinkedHashMap<>();
    JsonNode regs = root.get("registries");
    for (String name : regs.keys()) {
      JsonNode h = regs.get(name);
      for (String key : h.keys()) {
        if (!List.of("mirrors", "insecure", "ca", "username", "password").contains(key)) {
          throw new InvalidArgumentException(file + ": registry " + name + ": unknown key '" + key
              + "'; known: mirrors, insecure, ca, username, password");
        }
      }
      Optional<Credentials> creds = h.has("username")
          ? Optional.of(new Credentials(h.get("username").text(""), h.get("password").text(""))) : Optional.empty();
      hosts.put(name, new Host(h.get("mirrors").strings(),
          h.has("insecure") ? Optional.of(h.get("insecure").asBoolean(false)) : Optional.empty(),
          h.get("ca").text().map(Path::of), creds));
    }
    return new RegistryConfig(hosts);
  }

  /// The endpoints to try for a registry domain, mirrors first.
  public List<Endpoint> endpoints(String domain) {
    return endpoints(domain, Map.of());
  }

  /// The endpoints to try, where `override` (a pod's pull secrets, by host) replaces configured credentials.
  public List<Endpoint> endpoints(String domain, Map<String, Credentials> override) {
    Host host = hosts.getOrDefault(domain, Host.DEFAULT);
    List<Endpoint> out = new ArrayList<>();
    for (String mirror : host.mirrors()) {
      URI uri = URI.create(mirror.contains("://") ? mirror : scheme(hostOf(mirror)) + "://" + mirror);
      String mirrorHost = uri.getRawAuthority();
      Host m = hosts.getOrDefault(mirrorHost, Host.DEFAULT);
      out.add(new Endpoint(uri, mirrorHost, m.ca(), credentials(mirrorHost, m, override)));
    }
    String upstream = domain.equals("docker.io") ? "registry-1.docker.io" : domain;
    out.add(new Endpoint(URI.create(scheme(domain) + "://" + upstream), domain, host.ca(),
        credentials(domain, host, override)));
    return out;
  }

  private static Optional<Credentials> credentials(String hostPort, Host configured, Map<String, Credentials> override) {
    return Optional.ofNullable(override.get(hostPort)).or(configured::credentials);
  }

  private static String hostOf(String hostPort) {
    return hostPort.contains("/") ? hostPort.substring(0, hostPort.indexOf('/')) : hostPort;
  }

  private String scheme(String hostPort) {
    return isInsecure(hostPort) ? "http" : "https";
  }

  public boolean isInsecure(String hostPort) {
    Host h = hosts.get(hostPort);
    if (h != null && h.insecure().isPresent()) {
      return h.insecure().get();
    }
    String host = hostPort.startsWith("[") ? hostPort.substring(0, hostPort.indexOf(']') + 1)
        : hostPort.contains(":") ? hostPort.substring(0, hostPort.indexOf(':')) : hostPort;
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
  }
}
