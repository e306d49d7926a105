package io.peapod.server.stream;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/// Opens a TCP connection to a port of a pod as kubelet's runtime does for port-forward: inside the
/// pod's network namespace to 127.0.0.1, so a server listening on the pod's loopback only is reached too.
public final class PodDialer {
  private final Syscalls sys;

  public PodDialer(Syscalls sys) {
    this.sys = sys;
  }

  /// `netns` is the pod's pinned namespace, empty for a pod on the host's network; `pod` names it in errors.
  public SocketChannel connect(String pod, Optional<Path> netns, int port) {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    if (netns.isEmpty()) {
      return open(target, pod, port);
    }
    // The socket is made in the namespace of the thread that makes it: a platform thread enters the
    // pod's network namespace for that, and the daemon's threads stay where they are.
    CompletableFuture<SocketChannel> made = new CompletableFuture<>();
    Thread.ofPlatform().name("stream-netns").start(() -> {
      try {
        sys.setns(netns.get(), Namespace.NET);
        made.complete(open(target, pod, port));
      } catch (Throwable e) {
        made.completeExceptionally(e);
      }
    });
    try {
      return made.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new InternalException("port-forward: " + e, e);
    }
  }

  private static SocketChannel open(InetSocketAddress target, String pod, int port) {
    try {
      return SocketChannel.open(target);
    } catch (IOException e) {
      throw new FailedPreconditionException("error forwarding port " + port + " to pod " + pod + ": "
          + e.getMessage() + " (nothing listens on " + port + " in the pod?)", e);
    }
  }
}
