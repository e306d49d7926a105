package io.peapod.kubelet.manifest;

import io.peapod.kubelet.manifest.Handler.Header;
import io.peapod.kubelet.manifest.Handler.PortRef;
import io.peapod.kubelet.manifest.PodManifest.PortSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/// Probes and lifecycle hooks, validated as the API server does: exactly one action, thresholds at
/// least 1 (and a success threshold of 1 for liveness and startup), ports by number or by the name of
/// one of the container's ports.
final class HandlerParser {
  private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final List<String> PROBE_ACTIONS = List.of("exec", "httpGet", "tcpSocket", "grpc");
  private static final List<String> HOOK_ACTIONS = List.of("exec", "httpGet", "sleep");
  private final Fields f;

  HandlerParser(Fields f) {
    this.f = f;
  }

  Optional<Probe> probe(Object o, String at, boolean livenessOrStartup, List<PortSpec> ports) {
    if (o == null) {
      return Optional.empty();
    }
    Map<String, Object> p = f.map(o, at);
    Handler handler = action(p, at, PROBE_ACTIONS, ports);
    int success = (int) f.number(p.get("successThreshold"), at + ".successThreshold", 1, 1, Integer.MAX_VALUE);
    if (livenessOrStartup && success != 1) {
      throw f.error(at + ".successThreshold", "must be 1 for a liveness or startup probe");
    }
    Optional<Long> grace = p.containsKey("terminationGracePeriodSeconds")
        ? Optional.of(f.number(p.get("terminationGracePeriodSeconds"), at + ".terminationGracePeriodSeconds", 0, 1,
            Long.MAX_VALUE)) : Optional.empty();
    if (grace.isPresent() && !livenessOrStartup) {
      throw f.error(at + ".terminationGracePeriodSeconds", "is only for liveness and startup probes");
    }
    return Optional.of(new Probe(handler,
        (int) f.number(p.get("initialDelaySeconds"), at + ".initialDelaySeconds", 0, 0, Integer.MAX_VALUE),
        (int) f.number(p.get("periodSeconds"), at + ".periodSeconds", 10, 1, Integer.MAX_VALUE),
        (int) f.number(p.get("timeoutSeconds"), at + ".timeoutSeconds", 1, 1, Integer.MAX_VALUE), success,
        (int) f.number(p.get("failureThreshold"), at + ".failureThreshold", 3, 1, Integer.MAX_VALUE), grace));
  }

  Lifecycle lifecycle(Object o, String at, List<PortSpec> ports) {
    if (o == null) {
      return Lifecycle.NONE;
    }
    Map<String, Object> l = f.map(o, at);
    Optional<Handler> postStart = l.containsKey("postStart")
        ? Optional.of(action(f.map(l.get("postStart"), at + ".postStart"), at + ".postStart", HOOK_ACTIONS, ports))
        : Optional.empty();
    Optional<Handler> preStop = l.containsKey("preStop")
        ? Optional.of(action(f.map(l.get("preStop"), at + ".preStop"), at + ".preStop", HOOK_ACTIONS, ports))
        : Optional.empty();
    return new Lifecycle(postStart, preStop);
  }

  private Handler action(Map<String, Object> m, String at, List<String> allowed, List<PortSpec> ports) {
    List<String> given = new ArrayList<>();
    for (String k : List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep")) {
      if (m.containsKey(k)) {
        given.add(k);
      }
    }
    if (given.size() != 1) {
      throw f.error(at, given.isEmpty() ? "needs one of " + String.join(", ", allowed)
          : "sets " + String.join(" and ", given) + "; set exactly one of " + String.join(", ", allowed));
    }
    String kind = given.getFirst();
    if (!allowed.contains(kind)) {
      throw f.error(at + "." + kind, "is not supported here; use one of " + String.join(", ", allowed));
    }
    String a = at + "." + kind;
    Map<String, Object> h = f.map(m.get(kind), a);
    return switch (kind) {
      case "exec" -> {
        List<String> command = f.strings(h.get("command"), a + ".command");
        if (command.isEmpty()) {
          throw f.error(a + ".command", "is required");
        }
        yield new Handler.Exec(command);
      }
      case "httpGet" -> {
        String path = f.string(h.getOrDefault("path", "/"), a + ".path");
        List<Header> headers = new ArrayList<>();
        int i = 0;
        for (Object o : f.list(h.get("httpHeaders"), a + ".httpHeaders")) {
          String hp = a + ".httpHeaders[" + i++ + "]";
          Map<String, Object> hm = f.map(o, hp);
          String name = f.string(hm.get("name"), hp + ".name");
          if (name.isEmpty() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw f.error(hp + ".name", "'" + name + "' is not a valid HTTP header name");
          }
          headers.add(new Header(name, f.string(hm.get("value"), hp + ".value")));
        }
        yield new Handler.HttpGet(f.string(h.get("host"), a + ".host"), port(h.get("port"), a + ".port", ports),
            path.startsWith("/") ? path : "/" + path, f.oneOf(h.get("scheme"), a + ".scheme", "HTTP",
                List.of("HTTP", "HTTPS")), headers);
      }
      case "tcpSocket" -> new Handler.TcpSocket(f.string(h.get("host"), a + ".host"),
          port(h.get("port"), a + ".port", ports));
      case "grpc" -> new Handler.Grpc((int) f.number(h.get("port"), a + ".port", 0, 1, 65535),
          f.string(h.get("service"), a + ".service"));
      case "sleep" -> new Handler.Sleep(f.number(h.get("seconds"), a + ".seconds", 0, 0, Long.MAX_VALUE));
      default -> throw f.error(a, "is not a handler");
    };
  }

  private PortRef port(Object o, String at, List<PortSpec> ports) {
    if (o == null) {
      throw f.error(at, "is required");
    }
    if (o instanceof Number) {
      return PortRef.of((int) f.number(o, at, 0, 1, 65535));
    }
    String name = f.string(o, at);
    if (name.matches("\\d+")) {
      return PortRef.of((int) f.number(Long.parseLong(name), at, 0, 1, 65535));
    }
    if (!PORT_NAME.matcher(name).matches() || name.length() > 15) {
      throw f.error(at, "'" + name + "' is neither a port number nor a port name");
    }
    if (ports.stream().noneMatch(p -> p.name().equals(name))) {
      throw f.error(at, "names port '" + name + "', which the container's ports do not have");
    }
    return new PortRef(0, name);
  }
}
