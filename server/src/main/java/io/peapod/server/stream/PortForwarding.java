package io.peapod.server.stream;

import java.io.IOException;
import java.lang.System.Logger;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/// Kubernetes' port-forward protocol over WebSocket (`v4.channel.k8s.io`): port number i has data
/// channel 2i and error channel 2i+1, and each channel's first message is the port as two bytes, little
/// endian. Each port is one TCP connection opened in the pod; the WebSocket ends when every one of
/// them has, or when the client leaves.
final class PortForwarding {
  static final List<String> PROTOCOLS = List.of("v4.channel.k8s.io");
  private static final Logger LOG = System.getLogger(PortForwarding.class.getName());
  private final WebSocket ws;

  PortForwarding(WebSocket ws) {
    this.ws = ws;
  }

  /// `dial` opens a connection to a port inside the pod, or throws with the reason the client is told.
  void relay(List<Integer> ports, IntFunction<SocketChannel> dial) throws IOException, InterruptedException {
    List<SocketChannel> targets = new ArrayList<>();
    List<Thread> pumps = new ArrayList<>();
    for (int i = 0; i < ports.size(); i++) {
      int port = ports.get(i);
      byte[] portBytes = {(byte) port, (byte) (port >> 8)};
      ws.sendBinary(prefixed(2 * i, portBytes, portBytes.length));
      ws.sendBinary(prefixed(2 * i + 1, portBytes, portBytes.length));
      try {
        SocketChannel target = dial.apply(port);
        targets.add(target);
        int channel = 2 * i;
        pumps.add(Thread.ofPlatform().daemon().name("cri-stream-forward").start(() -> pump(target, channel)));
      } catch (RuntimeException e) {
        byte[] why = e.getMessage().getBytes(StandardCharsets.UTF_8);
        ws.sendBinary(prefixed(2 * i + 1, why, why.length));
        targets.add(null);
      }
    }
    Thread input = Thread.ofPlatform().daemon().name("cri-stream-in").start(() -> readClient(targets));
    for (Thread t : pumps) {
      t.join();
    }
    ws.close(1000, "");
    input.interrupt();
    for (SocketChannel t : targets) {
      if (t != null) {
        t.close();
      }
    }
  }

  private void pump(SocketChannel target, int channel) {
    ByteBuffer buf = ByteBuffer.allocate(32 * 1024);
    try {
      while (target.read(buf.clear()) >= 0) {
        ws.sendBinary(prefixed(channel, buf.array(), buf.position()));
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "port-forward target ended: {0}", e.getMessage());
    }
  }

  private void readClient(List<SocketChannel> targets) {
    try {
      WebSocket.Message m;
      while ((m = ws.read()) != null) {
        byte[] b = m.payload();
        if (b.length < 1 || (b[0] & 0xFF) % 2 != 0 || (b[0] & 0xFF) / 2 >= targets.size()) {
          continue;
        }
        SocketChannel t = targets.get((b[0] & 0xFF) / 2);
        if (t != null && t.isOpen()) {
          t.write(ByteBuffer.wrap(b, 1, b.length - 1));
        }
      }
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "port-forward client ended: {0}", e.getMessage());
    } finally {
      for (SocketChannel t : targets) {
        try {
          if (t != null) {
            t.close();
          }
        } catch (IOException closing) {
          LOG.log(Logger.Level.DEBUG, "close port-forward target: {0}", closing.getMessage());
        }
      }
    }
  }

  private static byte[] prefixed(int channel, byte[] data, int length) {
    byte[] m = new byte[length + 1];
    m[0] = (byte) channel;
    System.arraycopy(data, 0, m, 1, length);
    return m;
  }
}
