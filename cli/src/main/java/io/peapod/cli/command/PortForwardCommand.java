package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.client.ApiClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// `port-forward pod/NAME [LOCAL:]REMOTE...` as kubectl does it: listens on `--address` (loopback by
/// default) and carries each connection through the daemon to REMOTE on the pod's own loopback, until
/// interrupted. `:REMOTE` or `0:REMOTE` picks a free local port.
public final class PortForwardCommand implements CliCommand {
  @Override
  public String name() {
    return "port-forward";
  }

  @Override
  public String usage() {
    return "peapod port-forward pod/NAME [LOCAL:]REMOTE... [--address 127.0.0.1] [-n NS]";
  }

  @Override
  public String summary() {
    return "Forward local ports to a pod";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.value("Addresses to listen on, comma-separated (default 127.0.0.1).", "--address"),
        Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws IOException {
    List<String> args = a.positionals();
    if (args.size() < 2) {
      throw new InvalidArgumentException("usage: " + usage());
    }
    String pod = args.getFirst().startsWith("pod/") ? args.getFirst().substring(4) : args.getFirst();
    List<String> addresses = List.of(a.value("address", "127.0.0.1").split(","));
    List<ServerSocket> listeners = new ArrayList<>();
    for (String spec : args.subList(1, args.size())) {
      String[] parts = spec.split(":", -1);
      if (parts.length > 2 || !parts[parts.length - 1].matches("\\d{1,5}")
          || (parts.length == 2 && !parts[0].matches("\\d{0,5}"))) {
        throw new InvalidArgumentException("'" + spec + "' is not a port: use REMOTE, LOCAL:REMOTE or :REMOTE");
      }
      int remote = Integer.parseInt(parts[parts.length - 1]);
      int local = parts.length == 1 ? remote : parts[0].isEmpty() ? 0 : Integer.parseInt(parts[0]);
      for (String address : addresses) {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName(address.trim()), local));
        listeners.add(s);
        ctx.io().out().println("Forwarding from " + address.trim() + ":" + s.getLocalPort() + " -> " + remote);
        Thread.ofPlatform().daemon().start(() -> accept(ctx, pod, s, remote));
      }
    }
    ctx.io().out().flush();
    try {
      Thread.currentThread().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (ServerSocket s : listeners) {
        s.close();
      }
    }
    return 0;
  }

  private static void accept(Context ctx, String pod, ServerSocket listener, int remote) {
    while (!listener.isClosed()) {
      try {
        Socket conn = listener.accept();
        ctx.io().out().println("Handling connection for " + listener.getLocalPort());
        ctx.io().out().flush();
        Thread.ofVirtual().start(() -> forward(ctx, pod, conn, remote));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void forward(Context ctx, String pod, Socket conn, int remote) {
    try (conn; ApiClient.Response r = ctx.client().open("POST", "/v1/pods/" + ctx.namespace() + "/" + pod
        + "/portforward", Map.of("port", String.valueOf(remote)), null,
        Map.of("Connection", "Upgrade", "Upgrade", "peapod-portforward"))) {
      if (r.status() != 101) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      InputStream fromPod = r.body();
      OutputStream toPod = r.out();
      Thread up = Thread.ofVirtual().start(() -> {
        try {
          conn.getInputStream().transferTo(toPod);
          toPod.flush();
          r.connection().shutdownOutput();
        } catch (IOException e) {
          // The local client went away.
        }
      });
      fromPod.transferTo(conn.getOutputStream());
      up.join(1000);
    } catch (PeapodException e) {
      ctx.io().err().println("error: " + e.getMessage());
    } catch (IOException e) {
      ctx.io().err().println("error: forwarding a connection to " + remote + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
