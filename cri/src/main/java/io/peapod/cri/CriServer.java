package io.peapod.cri;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/// The gRPC server on CRI's unix socket (default `/run/peapod/cri.sock`), mode 0600: only root may drive
/// the runtime. Calls run on a cached pool of platform threads (grpc-java's default), so a slow
/// StopContainer does not hold up a ListPodSandbox; not on virtual threads, since runtime calls may block in
/// native calls (FFM), which pin the few carriers virtual threads share.
public final class CriServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(CriServer.class.getName());
  /// grpc-java asks every accepted connection for SO_KEEPALIVE, which a unix socket has not; netty then
  /// warns once per connection. Held here so the level stays set (JUL keeps loggers weakly).
  private static final java.util.logging.Logger BOOTSTRAP = quiet(
      "io.grpc.netty.shaded.io.netty.bootstrap.ServerBootstrap");
  private final Path socket;
  private final Server server;
  private final EpollEventLoopGroup boss = new EpollEventLoopGroup(1);
  private final EpollEventLoopGroup workers = new EpollEventLoopGroup(2);

  public CriServer(Path socket, List<BindableService> services) {
    this.socket = socket;
    try {
      Files.createDirectories(socket.getParent());
      replaceStale(socket);
      NettyServerBuilder b = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
          .channelType(EpollServerDomainSocketChannel.class).bossEventLoopGroup(boss).workerEventLoopGroup(workers)
          .maxInboundMessageSize(16 << 20);
      services.forEach(b::addService);
      server = b.build().start();
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      shutdownGroups();
      throw new InternalException("CRI server: listen on " + socket + ": " + e.getMessage(), e);
    }
    LOG.log(Logger.Level.INFO, "CRI v1 serving unix://{0}", socket);
  }

  /// A socket file left by a killed daemon is replaced; one that answers belongs to a live daemon.
  private static void replaceStale(Path socket) throws IOException {
    if (!Files.exists(socket)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      probe.connect(UnixDomainSocketAddress.of(socket));
      throw new FailedPreconditionException("another daemon serves CRI on " + socket + "; stop it or use"
          + " --cri-socket");
    } catch (IOException stale) {
      Files.delete(socket);
    }
  }

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.SEVERE);
    return l;
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    shutdownGroups();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      LOG.log(Logger.Level.WARNING, "remove {0}: {1}", socket, e.getMessage());
    }
  }

  private void shutdownGroups() {
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
