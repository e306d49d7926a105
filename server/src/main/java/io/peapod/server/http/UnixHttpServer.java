package io.peapod.server.http;

import io.peapod.base.error.InternalException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/// Serves HTTP/1.1 on a unix socket, one request per connection, each on its own virtual thread.
public final class UnixHttpServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(UnixHttpServer.class.getName());
  private static final int MAX_HEADER_BYTES = 64 * 1024;
  private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final Path socket;
  private final ServerSocketChannel channel;
  private final HttpHandler handler;
  private final Function<Throwable, HttpResponse> errors;
  private final ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread acceptor;

  /// Binds `socket` with the given mode (`rw-------` by default) and starts accepting.
  public UnixHttpServer(Path socket, String permissions, HttpHandler handler, Function<Throwable, HttpResponse> errors)
      throws IOException {
    this.socket = socket;
    this.handler = handler;
    this.errors = errors;
    Files.createDirectories(socket.getParent());
    refuseIfServing(socket);
    Files.deleteIfExists(socket);
    this.channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    channel.bind(UnixDomainSocketAddress.of(socket));
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString(permissions));
    this.acceptor = Thread.ofPlatform().name("api-accept").start(this::acceptLoop);
  }

  /// A socket file left by a killed daemon is replaced; one that answers belongs to a live daemon.
  private static void refuseIfServing(Path socket) {
    if (!Files.exists(socket)) {
      return;
    }
    try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      throw new InternalException("another daemon is serving " + socket + "; stop it or use --run-root", null);
    } catch (IOException stale) {
      LOG.log(Logger.Level.INFO, "replacing stale socket {0}", socket);
    }
  }

  private void acceptLoop() {
    while (channel.isOpen()) {
      try {
        SocketChannel c = channel.accept();
        connections.submit(() -> serve(c));
      } catch (AsynchronousCloseException closed) {
        return;
      } catch (IOException e) {
        LOG.log(Logger.Level.ERROR, "accept on " + socket, e);
      }
    }
  }

  private void serve(SocketChannel c) {
    try (c) {
      InputStream in = new BufferedInputStream(Channels.newInputStream(c), 16 * 1024);
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(c), 16 * 1024);
      HttpRequest req = read(in, out);
      if (req == null) {
        return;
      }
      HttpResponse resp;
      try {
        resp = handler.handle(req);
      } catch (Exception | Error e) {
        resp = errors.apply(e);
      }
      write(resp, out);
    } catch (IOException e) {
      LOG.log(Logger.Level.DEBUG, "connection ended: {0}", e.getMessage());
    }
  }

  private static HttpRequest read(InputStream in, OutputStream out) throws IOException {
    String requestLine = line(in);
    if (requestLine == null || requestLine.isEmpty()) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length < 2) {
      throw new IOException("bad request line: " + requestLine);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int total = 0;
    String h;
    while ((h = line(in)) != null && !h.isEmpty()) {
      total += h.length();
      if (total > MAX_HEADER_BYTES) {
        throw new IOException("headers too large");
      }
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    if (length > MAX_BODY_BYTES) {
      throw new IOException("body too large: " + length);
    }
    byte[] body = in.readNBytes(length);
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    return new HttpRequest(parts[0], path, HttpRequest.parseQuery(q < 0 ? null : target.substring(q + 1)), headers,
        body, in, out);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
      if (b.size() > MAX_HEADER_BYTES) {
        throw new IOException("line too long");
      }
    }
    return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  private static void write(HttpResponse resp, OutputStream out) throws IOException {
    switch (resp) {
      case HttpResponse.Full f -> {
        out.write(("HTTP/1.1 " + f.status() + " " + reason(f.status()) + "\r\nContent-Type: " + f.contentType()
            + "\r\nContent-Length: " + f.body().length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(f.body());
        out.flush();
      }
      case HttpResponse.Streamed s -> {
        out.write(("HTTP/1.1 " + s.status() + " " + reason(s.status()) + "\r\nContent-Type: " + s.contentType()
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        s.writer().write(out);
        out.flush();
      }
      case HttpResponse.Upgraded u -> out.flush();
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 101 -> "Switching Protocols";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 507 -> "Insufficient Storage";
      default -> "Status";
    };
  }

  @Override
  public void close() {
    try {
      channel.close();
      acceptor.join();
      connections.shutdownNow();
      Files.deleteIfExists(socket);
    } catch (IOException e) {
      throw new InternalException("close API socket " + socket, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
