package io.peapod.server.stream;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.PeapodException;
import io.peapod.cri.stream.StreamRequest;
import io.peapod.cri.stream.StreamingServer;
import io.peapod.runtime.api.ExecProcess;
import io.peapod.runtime.api.NamespaceMode;
import io.peapod.runtime.api.RuntimeService;
import io.peapod.runtime.api.SandboxStatus;
import io.peapod.runtime.api.TerminalSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/// The streaming server behind CRI's Exec, Attach and PortForward. It listens on loopback by default
/// (the address is `--streaming-address`); each URL is `/exec|attach|portforward/<token>` with a
/// single-use token ([StreamTokens]). Callers upgrade to WebSocket with Kubernetes' channel protocols
/// ([RemoteCommand], [PortForwarding]) or to SPDY/3.1, which kubelet and crictl use by default
/// ([SpdyRemoteCommand], [SpdyPortForward]). Its threads are platform threads: a terminal's reads and the
/// wait for its process block in native calls, which would pin the few carriers virtual threads share (on
/// two cores, one `exec -it` froze every other virtual thread, the CRI calls included).
public final class StreamServer implements StreamingServer, AutoCloseable {
  private static final Logger LOG = System.getLogger(StreamServer.class.getName());
  /// Streams at once; more are refused with 503 rather than queued.
  private static final int MAX_STREAMS = 256;
  /// The whole request head must arrive within this, so a slow client cannot hold a slot without a token.
  private static final java.time.Duration HEAD_DEADLINE = java.time.Duration.ofSeconds(10);
  private final RuntimeService runtime;
  private final PodDialer dialer;
  private final StreamTokens tokens = new StreamTokens(java.time.Clock.systemUTC());
  private final ServerSocket listener;
  private final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_STREAMS);
  private final Thread acceptor;

  public StreamServer(InetSocketAddress address, RuntimeService runtime, PodDialer dialer) {
    this.runtime = runtime;
    this.dialer = dialer;
    try {
      listener = new ServerSocket();
      listener.bind(address, 64);
    } catch (IOException e) {
      throw new InternalException("streaming server: listen on " + address + ": " + e.getMessage(), e);
    }
    if (!address.getAddress().isLoopbackAddress()) {
      LOG.log(Logger.Level.WARNING, "streaming server listens on {0}, not on loopback: the tokens in its URLs are"
          + " all that guard it", address);
    }
    acceptor = Thread.ofPlatform().daemon().name("cri-stream-accept").start(this::accept);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  @Override
  public URI register(StreamRequest request) {
    String kind = switch (request) {
      case StreamRequest.Exec e -> "exec";
      case StreamRequest.Attach a -> "attach";
      case StreamRequest.PortForward p -> "portforward";
    };
    InetSocketAddress a = address();
    InetAddress host = a.getAddress();
    String h = host.getHostAddress().contains(":") ? "[" + host.getHostAddress() + "]" : host.getHostAddress();
    return URI.create("http://" + h + ":" + a.getPort() + "/" + kind + "/" + tokens.issue(request));
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        if (!slots.tryAcquire()) {
          respond(s.getOutputStream(), 503, "too many streams at once (" + MAX_STREAMS + "); try again");
          s.close();
          continue;
        }
        Thread.ofPlatform().daemon().name("cri-stream").start(() -> {
          try (s) {
            serve(s);
          } catch (IOException | InterruptedException e) {
            LOG.log(Logger.Level.DEBUG, "stream ended: {0}", e.getMessage());
          } catch (RuntimeException e) {
            LOG.log(Logger.Level.WARNING, "stream failed: " + e.getMessage(), e);
          } finally {
            slots.release();
          }
        });
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        LOG.log(Logger.Level.WARNING, "streaming server accept: {0}", e.getMessage());
      }
    }
  }

  private void serve(Socket s) throws IOException, InterruptedException {
    s.setSoTimeout((int) HEAD_DEADLINE.toMillis());
    s.setTcpNoDelay(true);
    InputStream in = s.getInputStream();
    // Frames are written whole and flushed: one segment each, not one per header and body.
    OutputStream out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
    Optional<UpgradeRequest> read = UpgradeRequest.read(in, System.nanoTime() + HEAD_DEADLINE.toNanos());
    if (read.isEmpty()) {
      respond(out, 400, "malformed or unfinished HTTP request (the head must arrive within "
          + HEAD_DEADLINE.toSeconds() + "s)");
      return;
    }
    UpgradeRequest r = read.get();
    String[] path = r.path().split("/");
    Optional<StreamRequest> request = path.length == 3 ? tokens.take(path[2]) : Optional.empty();
    if (request.isEmpty() || !r.method().equals("GET")) {
      respond(out, 404, "unknown or used stream token; ask the runtime for a new URL");
      return;
    }
    s.setSoTimeout(0);
    try {
      if (r.header("upgrade").equalsIgnoreCase("SPDY/3.1")) {
        spdy(s, in, out, r, request.get());
      } else if (!r.isWebSocket()) {
        respond(out, 400, "this endpoint needs an upgrade to WebSocket or SPDY/3.1");
      } else {
        webSocket(in, out, r, request.get());
      }
    } catch (PeapodException e) {
      // Before the upgrade is answered (the container stopped since the URL was issued, say).
      respond(out, e.code() == io.peapod.base.error.ErrorCode.NOT_FOUND ? 404 : 400, e.getMessage());
    }
  }

  private void webSocket(InputStream in, OutputStream out, UpgradeRequest r, StreamRequest request)
      throws IOException, InterruptedException {
    List<String> ours = request instanceof StreamRequest.PortForward ? PortForwarding.PROTOCOLS
        : RemoteCommand.PROTOCOLS;
    String protocol = r.chooseProtocol("sec-websocket-protocol", ours);
    if (protocol.isEmpty() && !r.header("sec-websocket-protocol").isEmpty()) {
      respond(out, 400, "unable to negotiate a subprotocol: client offers [" + r.header("sec-websocket-protocol")
          + "], server accepts " + ours);
      return;
    }
    switch (request) {
      case StreamRequest.Exec e -> command(in, out, r, protocol,
          runtime.exec(e.containerId(), e.command(), size(e.tty())), e.stdout(), e.stderr(), e.command().toString());
      case StreamRequest.Attach a -> command(in, out, r, protocol,
          runtime.attach(a.containerId(), a.stdin(), size(a.tty())), a.stdout(), a.stderr(), "attach");
      case StreamRequest.PortForward p -> portForward(in, out, r, protocol, p);
    }
  }

  /// SPDY/3.1, the upgrade kubelet, crictl and kubectl's SPDY executors send: the protocol is negotiated
  /// with `X-Stream-Protocol-Version` (none offered: the first version of the protocol).
  private void spdy(Socket socket, InputStream in, OutputStream out, UpgradeRequest r, StreamRequest request)
      throws IOException, InterruptedException {
    List<String> ours = request instanceof StreamRequest.PortForward ? SpdyPortForward.PROTOCOLS
        : SpdyRemoteCommand.PROTOCOLS;
    String protocol = r.chooseProtocol("x-stream-protocol-version", ours);
    if (protocol.isEmpty() && !r.header("x-stream-protocol-version").isEmpty()) {
      respond(out, 403, "unable to upgrade: unable to negotiate protocol: client supports ["
          + r.header("x-stream-protocol-version") + "], server accepts " + ours);
      return;
    }
    out.write(("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
        + (protocol.isEmpty() ? "" : "X-Stream-Protocol-Version: " + protocol + "\r\n") + "\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    try (SpdyConnection connection = new SpdyConnection(in, out)) {
      switch (request) {
        case StreamRequest.PortForward p -> {
          SandboxStatus sandbox = runtime.podSandboxStatus(p.sandboxId());
          try (SpdyPortForward forward = new SpdyPortForward(p.ports(), port -> dial(sandbox, port))) {
            connection.serve(forward::opened);
          }
        }
        case StreamRequest.Exec e -> remoteCommand(socket, connection,
            new SpdyRemoteCommand(protocol, e.stdin(), e.stdout(), e.stderr(), e.tty()),
            () -> runtime.exec(e.containerId(), e.command(), size(e.tty())), e.command().toString());
        case StreamRequest.Attach a -> remoteCommand(socket, connection,
            new SpdyRemoteCommand(protocol, a.stdin(), a.stdout(), a.stderr(), a.tty()),
            () -> runtime.attach(a.containerId(), a.stdin(), size(a.tty())), "attach");
      }
    }
  }

  /// The connection's frames are read on their own thread while this one relays; each side's end is
  /// the other's: a closed connection ends the command, and the reader is joined before the connection
  /// (and its zlib contexts) is closed.
  private static void remoteCommand(Socket socket, SpdyConnection connection, SpdyRemoteCommand command,
      java.util.function.Supplier<ExecProcess> start, String what) throws IOException, InterruptedException {
    Thread reader = Thread.ofPlatform().daemon().name("cri-stream-spdy").start(() -> {
      try {
        connection.serve(command::opened);
      } catch (IOException e) {
        LOG.log(Logger.Level.DEBUG, "SPDY connection ended: {0}", e.getMessage());
      } finally {
        command.connectionEnded();
      }
    });
    try {
      command.relay(start, what);
    } finally {
      // A platform thread blocked reading a socket wakes when its input is shut, not when interrupted.
      socket.shutdownInput();
      reader.interrupt();
      reader.join(java.time.Duration.ofSeconds(5));
    }
  }

  private java.nio.channels.SocketChannel dial(SandboxStatus sandbox, int port) {
    if (sandbox.config().namespaces().network() == NamespaceMode.NODE) {
      return dialer.connect(sandbox.config().namespace() + "/" + sandbox.config().name(), Optional.empty(), port);
    }
    if (sandbox.netnsPath().isEmpty()) {
      throw new io.peapod.base.error.FailedPreconditionException("pod sandbox " + sandbox.id() + " has no network"
          + " namespace now; port " + port + " cannot be reached");
    }
    Optional<Path> netns = Optional.of(Path.of(sandbox.netnsPath()));
    return dialer.connect(sandbox.config().namespace() + "/" + sandbox.config().name(), netns, port);
  }

  private static Optional<TerminalSize> size(boolean tty) {
    return tty ? Optional.of(new TerminalSize(24, 80)) : Optional.empty();
  }

  private static void command(InputStream in, OutputStream out, UpgradeRequest r, String protocol, ExecProcess p,
      boolean stdout, boolean stderr, String what) throws IOException, InterruptedException {
    out.write(WebSocket.handshake(r.header("sec-websocket-key"), protocol).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    new RemoteCommand(new WebSocket(in, out), protocol).relay(p, stdout, stderr, what);
  }

  private void portForward(InputStream in, OutputStream out, UpgradeRequest r, String protocol,
      StreamRequest.PortForward p) throws IOException, InterruptedException {
    List<Integer> ports = p.ports().isEmpty() ? r.ports() : p.ports();
    if (ports.isEmpty()) {
      respond(out, 400, "no port to forward: give ?port=N");
      return;
    }
    SandboxStatus sandbox = runtime.podSandboxStatus(p.sandboxId());
    out.write(WebSocket.handshake(r.header("sec-websocket-key"), protocol).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    new PortForwarding(new WebSocket(in, out)).relay(ports, port -> dial(sandbox, port));
  }

  private static void respond(OutputStream out, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String reason = switch (status) {
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 503 -> "Service Unavailable";
      default -> "Bad Request";
    };
    out.write(("HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      LOG.log(Logger.Level.WARNING, "close the streaming server: {0}", e.getMessage());
    }
    acceptor.interrupt();
  }
}
