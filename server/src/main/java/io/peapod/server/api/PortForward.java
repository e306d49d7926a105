package io.peapod.server.api;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.kubelet.pod.PodView;
import io.peapod.server.stream.PodDialer;
import io.peapod.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/// `port-forward`: a TCP connection to a port of a pod ([PodDialer]), relayed byte for byte over the
/// upgraded API connection until either side closes.
final class PortForward {
  private final PodDialer dialer;

  PortForward(Syscalls sys) {
    this.dialer = new PodDialer(sys);
  }

  /// Connects to `port` in the pod; a refused connection is an error the client sees before the upgrade.
  SocketChannel connect(PodView pod, int port) {
    if (!pod.hostNetwork() && pod.netnsPath().isEmpty()) {
      throw new FailedPreconditionException("pod " + pod.name() + " has no network namespace now (its sandbox is"
          + " being made again); try again");
    }
    return dialer.connect(pod.name(), pod.hostNetwork() ? Optional.empty() : Optional.of(Path.of(pod.netnsPath())),
        port);
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
        // Each read is passed on at once: a small answer (a prompt, a keep-alive reply) must not wait in the
        // connection's buffer for more to come.
        InputStream fromPod = Channels.newInputStream(target);
        byte[] buffer = new byte[16 * 1024];
        for (int n; (n = fromPod.read(buffer)) >= 0; ) {
          clientOut.write(buffer, 0, n);
          clientOut.flush();
        }
      } catch (IOException e) {
        // Either side closed; the connection ends.
      }
      up.interrupt();
    }
  }
}
