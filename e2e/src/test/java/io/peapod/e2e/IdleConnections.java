package io.peapod.e2e;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/// A child process for [ApiHardeningIT]: opens `count` connections to a unix socket and sends nothing,
/// as an idle or slow client does, until its stdin closes. One process alone may not hold 20,000
/// descriptors on a host whose hard limit is 20,000, so the test splits them across two.
final class IdleConnections {
  private IdleConnections() {}

  static List<SocketChannel> open(String socket, int count) throws IOException {
    List<SocketChannel> open = new ArrayList<>();
    UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
    for (int i = 0; i < count; i++) {
      open.add(SocketChannel.open(address));
    }
    return open;
  }

  public static void main(String[] args) throws IOException {
    List<SocketChannel> open = open(args[0], Integer.parseInt(args[1]));
    System.out.println("open " + open.size());
    System.out.flush();
    while (System.in.read() >= 0) {
      // Holds the connections until the test closes our stdin.
    }
    for (SocketChannel c : open) {
      c.close();
    }
  }
}
