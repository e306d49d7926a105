package io.peapod.kubelet.probe;

import io.peapod.base.error.PeapodException;
import io.peapod.kubelet.manifest.Handler;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.runtime.api.ExecResult;
import io.peapod.runtime.api.RuntimeService;
import java.time.Duration;
import java.util.Optional;

/// Runs one probe or hook action against a container, as kubelet's prober does: `exec` through the
/// runtime's ExecSync (exit 0 is success), `httpGet` and `tcpSocket` from the node to the pod's IP,
/// `grpc` through the health-checking protocol. A named port is looked up in the container's ports.
public final class Prober {
  private final RuntimeService runtime;
  private final HttpCheck http;
  private final GrpcHealthClient grpc;

  public Prober(RuntimeService runtime, HttpCheck http, GrpcHealthClient grpc) {
    this.runtime = runtime;
    this.http = http;
    this.grpc = grpc;
  }

  /// The container a probe or hook runs against, and the pod's IP its network checks go to.
  public record Target(String containerId, String podIp, ContainerSpec container) {}

  public ProbeOutcome run(Handler handler, Target t, Duration timeout) {
    return switch (handler) {
      case Handler.Exec e -> exec(e, t, timeout);
      case Handler.HttpGet h -> port(h.port(), t.container())
          .map(p -> http.get(h, host(h.host(), t), p, timeout))
          .orElseGet(() -> noPort(h.port(), t.container()));
      case Handler.TcpSocket s -> port(s.port(), t.container())
          .map(p -> http.connect(host(s.host(), t), p, timeout))
          .orElseGet(() -> noPort(s.port(), t.container()));
      case Handler.Grpc g -> grpc.check(t.podIp(), g.port(), g.service(), timeout);
      case Handler.Sleep s -> ProbeOutcome.OK;
    };
  }

  private ProbeOutcome exec(Handler.Exec e, Target t, Duration timeout) {
    try {
      ExecResult r = runtime.execSync(t.containerId(), e.command(), timeout);
      if (r.timedOut()) {
        return ProbeOutcome.failure("command " + e.command() + " timed out after " + timeout.toMillis() / 1000.0 + "s");
      }
      if (r.exitCode() == 0) {
        return ProbeOutcome.OK;
      }
      String out = r.output().strip();
      return ProbeOutcome.failure("command " + e.command() + " exited with " + r.exitCode()
          + (out.isEmpty() ? "" : ": " + out));
    } catch (PeapodException ex) {
      return ProbeOutcome.failure(ex.getMessage());
    }
  }

  private static String host(String host, Target t) {
    return host.isEmpty() ? t.podIp() : host;
  }

  private static Optional<Integer> port(Handler.PortRef p, ContainerSpec c) {
    return p.isNamed() ? c.port(p.name()) : Optional.of(p.number());
  }

  private static ProbeOutcome noPort(Handler.PortRef p, ContainerSpec c) {
    return ProbeOutcome.failure("couldn't find port '" + p.name() + "' in container " + c.name());
  }
}
