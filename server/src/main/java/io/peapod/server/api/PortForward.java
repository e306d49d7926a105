package io.peapod.server.api;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.kubelet.pod.PodView;
import io.peapod.sys.Namespace;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/// `port-forward`: a TCP connection to a port of a pod, as kubelet's runtime makes it: opened inside the
/// pod's network namespace to 127.0.0.1, so a server that listens on the pod's loopback only is reached
/// too, then relayed byte for byte over the upgraded API connection until either side closes.
final class PortForward {
  private final Syscalls sys;

  PortForward(Syscalls sys) {
    this.sys = sys;
  }

  /// Connects to `port` in the pod; a refused connection is an error the client sees before the upgrade.
  SocketChannel connect(PodView pod, int port) {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", port);
    if (pod.hostNetwork()) {
      return open(target, pod, port);
    }
    if (pod.netnsPath().isEmpty()) {
      throw new FailedPreconditionException("pod " + pod.name() + " has no network namespace now (its sandbox is"
          + " being made again); try again");
    }
    // The socket is made in the namespace of the thread that makes it: a platform thread enters the
    // pod's network namespace for that, and the daemon's threads stay where they are.
    CompletableFuture<SocketChannel> made = new CompletableFuture<>();
    Thread.ofPlatform().name("stream-netns").start(() -> {
      try {
        sys.setns(Path.of(pod.netnsPath()), Namespace.NET);
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

  private static SocketChannel open(InetSocketAddress target, PodView pod, int port) {
    try {
      return SocketChannel.open(target);
    } catch (IOException e) {
      throw new FailedPreconditionException("error forwarding port " + port + " to pod " + pod.name() + ": "
          + e.getMessage() + " (nothing listens on " + port + " in the pod?)", e);
    }
  }

  /// Answers the upgrade and relays until both directions are done.
  static void relay(SocketChannel target, InputStream clientIn, OutputStream clientOut) throws IOException {
    try (target) {
      clientOut.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: peapod-portforward\r\nConnection: Upgrade"
          + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      clientOut.flush();
      Thread up = Thread.ofPlatform().daemon().name("stream-forward").start(() -> {
        try {
          clientIn.transferTo(Channels.newOutputStream(target));
          target.shutdownOutput();
        } catch (IOException e) {
          // The client went away: closing the target ends the other direction too.
          try {
            target.close();
          } catch (IOException closing) {
            // Already closed.
          }
        }
      });
      try {
        Channels.newInputStream(target).transferTo(clientOut);
        clientOut.flush();
      } catch (IOException e) {
        // Either side closed; the connection ends.
      }
      up.interrupt();
    }
  }
}
