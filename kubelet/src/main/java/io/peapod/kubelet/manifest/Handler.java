package io.peapod.kubelet.manifest;

import java.util.List;

/// What a probe or a lifecycle hook does (Kubernetes' ProbeHandler and LifecycleHandler): run a
/// command in the container, GET a URL or open a TCP connection from the node into the pod, ask the
/// gRPC health service, or sleep.
public sealed interface Handler {
  record Exec(List<String> command) implements Handler {
    public Exec {
      command = List.copyOf(command);
    }
  }

  /// `host` empty means the pod's IP; `scheme` is HTTP or HTTPS.
  record HttpGet(String host, PortRef port, String path, String scheme, List<Header> headers) implements Handler {
    public HttpGet {
      headers = List.copyOf(headers);
    }
  }

  record TcpSocket(String host, PortRef port) implements Handler {}

  /// The standard gRPC health-checking protocol (`grpc.health.v1.Health/Check`) for `service`.
  record Grpc(int port, String service) implements Handler {}

  record Sleep(long seconds) implements Handler {}

  record Header(String name, String value) {}

  /// A port by number, or by the name of one of the container's ports.
  record PortRef(int number, String name) {
    public static PortRef of(int number) {
      return new PortRef(number, "");
    }

    public boolean isNamed() {
      return !name.isEmpty();
    }

    @Override
    public String toString() {
      return isNamed() ? name : String.valueOf(number);
    }
  }
}
