package io.peapod.server.stream;

import io.peapod.cri.CriServer;
import io.peapod.cri.mapping.SandboxConfigs;
import io.peapod.cri.service.CriImageService;
import io.peapod.cri.service.CriRuntimeService;
import io.peapod.image.ImageService;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.sys.Syscalls;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/// CRI v1 in the daemon: the gRPC server on its unix socket and the streaming server its Exec, Attach
/// and PortForward answers point to, both on the same runtime the kubelet layer uses.
public final class CriEndpoint implements AutoCloseable {
  private final StreamServer streams;
  private final CriServer server;

  /// `logRoot` is where sandboxes log when the caller names no directory; `imageRoot` is measured by
  /// ImageFsInfo; `cniBinDirs` must hold the network's plugins for NetworkReady.
  public CriEndpoint(Path socket, InetSocketAddress streamingAddress, RuntimeService runtime, ImageService images,
      Syscalls sys, Path logRoot, Path imageRoot, List<String> cniPlugins, List<Path> cniBinDirs, String version) {
    this.streams = new StreamServer(streamingAddress, runtime, new PodDialer(sys));
    try {
      this.server = new CriServer(socket, List.of(
          new CriRuntimeService(runtime, new SandboxConfigs(logRoot), streams,
              new CriRuntimeService.Identity("peapod", version), networkProblem(cniPlugins, cniBinDirs)),
          new CriImageService(images, imageRoot)));
    } catch (RuntimeException e) {
      streams.close();
      throw e;
    }
  }

  /// NetworkReady holds while every plugin the pod network's configuration names is installed.
  static Supplier<Optional<String>> networkProblem(List<String> plugins, List<Path> binDirs) {
    return () -> plugins.stream()
        .filter(p -> binDirs.stream().noneMatch(d -> Files.isExecutable(d.resolve(p))))
        .findFirst()
        .map(p -> "CNI plugin " + p + " is not installed in " + binDirs + " (apt-get install"
            + " containernetworking-plugins)");
  }

  public InetSocketAddress streamingAddress() {
    return streams.address();
  }

  @Override
  public void close() {
    server.close();
    streams.close();
  }
}
