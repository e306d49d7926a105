package io.peapod.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.kubelet.Kubelet;
import io.peapod.kubelet.logs.ContainerLogReader;
import io.peapod.base.api.v1.PodOverview;
import io.peapod.base.api.v1.PodOverviewList;
import io.peapod.server.api.ApiJson;
import io.peapod.server.api.ContainerLogs;
import io.peapod.server.api.PodNamespaces;
import io.peapod.server.metrics.NodeMetrics;
import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/// `--web ADDRESS`: a read-only page that draws each pod's processes and the namespaces they hold or share
/// (from `/proc/PID/ns/*`) and its newest events, updated live through server-sent events, and `/metrics`. It offers no action,
/// so nothing on it can change the node; requests whose Host is not this address are refused (a web page
/// elsewhere cannot reach it by DNS rebinding), and every answer forbids framing and foreign scripts.
public final class WebServer implements AutoCloseable {
  private static final Logger LOG = System.getLogger(WebServer.class.getName());
  private static final long KEEPALIVE_SECONDS = 15;
  private static final int MAX_WATCHERS = 64;
  /// How many of a pod's newest events the page shows.
  private static final int RECENT_EVENTS = 8;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Kubelet kubelet;
  private final NodeMetrics metrics;
  private final Optional<ContainerLogs> logs;
  private final String host;
  private final java.util.concurrent.atomic.AtomicInteger watchers = new java.util.concurrent.atomic.AtomicInteger();

  /// `logs` only with `--web-logs`: whoever reaches the page's address reads every container's output.
  public WebServer(InetSocketAddress address, Kubelet kubelet, Optional<ContainerLogs> logs, NodeMetrics metrics) {
    this.metrics = metrics;
    this.logs = logs;
    this.kubelet = kubelet;
    try {
      server = HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new InternalException("serve the web page on " + address + ": " + e.getMessage(), e);
    }
    String literal = address.getHostString();
    this.host = (literal.contains(":") ? "[" + literal + "]" : literal) + ":" + server.getAddress().getPort();
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    LOG.log(Logger.Level.INFO, "web page on http://{0}/", host);
  }

  /// The address and port it listens on (`127.0.0.1:7117`).
  public String address() {
    return host;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String requestHost = Optional.ofNullable(x.getRequestHeaders().getFirst("Host")).orElse("")
          .toLowerCase(java.util.Locale.ROOT);
      int port = server.getAddress().getPort();
      boolean loopback = server.getAddress().getAddress().isLoopbackAddress();
      if (!requestHost.equals(host) && !(port == 80 && requestHost.equals(host.substring(0, host.lastIndexOf(':'))))
          && !(loopback && requestHost.equals("localhost:" + port))) {
        send(x, 421, "text/plain", "this page answers only for " + host + "\n");
        return;
      }
      if (!x.getRequestMethod().equals("GET")) {
        x.getResponseHeaders().set("Allow", "GET");
        send(x, 405, "text/plain", "the web page is read-only\n");
        return;
      }
      switch (x.getRequestURI().getPath()) {
        case "/" -> send(x, 200, "text/html; charset=utf-8", resource("index.html"));
        case "/app.js" -> send(x, 200, "text/javascript; charset=utf-8", resource("app.js"));
        case "/api/pods" -> send(x, 200, "application/json", Json.write(pods()));
        case "/api/features" -> send(x, 200, "application/json", "{\"logs\":" + logs.isPresent() + "}");
        case "/api/watch" -> watching(x, () -> stream(x));
        case "/api/logs" -> watching(x, () -> logs(x));
        case "/metrics" -> send(x, 200, "text/plain; version=0.0.4", Metrics.render(kubelet.list(Optional.empty()))
            + metrics.render());
        default -> send(x, 404, "text/plain", "not found\n");
      }
    }
  }

  private PodOverviewList pods() {
    return new PodOverviewList(kubelet.list(Optional.empty()).stream().map(p -> {
      List<io.peapod.kubelet.event.Event> events = kubelet.eventsOf(p.uid());
      // Without the spec: its environment values are not the page's to show.
      return new PodOverview(ApiJson.pod(p, Map.of(), kubelet.nodeIp()),
          PodNamespaces.of(p, ProcFs.HOST).rows(), events.subList(Math.max(0, events.size() - RECENT_EVENTS),
              events.size()).stream().map(ApiJson::event).toList());
    }).toList());
  }


  /// A stream that lasts as long as the page: pod changes or a log. At most [#MAX_WATCHERS] at once.
  private void watching(HttpExchange x, Streamer streamer) throws IOException {
    if (watchers.incrementAndGet() > MAX_WATCHERS) {
      watchers.decrementAndGet();
      send(x, 503, "text/plain", "too many pages are watching; close one\n");
      return;
    }
    try {
      streamer.run();
    } finally {
      watchers.decrementAndGet();
    }
  }

  @FunctionalInterface
  private interface Streamer {
    void run() throws IOException;
  }

  /// `/api/logs?pod=NS/NAME&container=C`: the container's last 100 lines, then each new one as it comes,
  /// as server-sent events, until the container ends or the page goes.
  private void logs(HttpExchange x) throws IOException {
    if (logs.isEmpty()) {
      send(x, 404, "text/plain", "logs are not served here; start the daemon with --web-logs to serve them\n");
      return;
    }
    ContainerLogs logs = this.logs.get();
    Map<String, String> q = query(x.getRequestURI().getRawQuery());
    String[] pod = q.getOrDefault("pod", "").split("/", 2);
    ContainerLogs.Source source;
    try {
      if (pod.length != 2) {
        throw new io.peapod.base.error.InvalidArgumentException("logs need ?pod=NAMESPACE/NAME&container=NAME");
      }
      source = logs.find(pod[0], pod[1], Optional.ofNullable(q.get("container")), false);
    } catch (io.peapod.base.error.PeapodException e) {
      send(x, e.code().httpStatus(), "text/plain", e.getMessage() + "\n");
      return;
    }
    headers(x, "text/event-stream");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    LogEvents out = new LogEvents(x.getResponseBody());
    Thread reader = Thread.ofVirtual().start(() -> {
      try (out) {
        logs.write(source, new ContainerLogReader.Options(100, Optional.empty(), true, false), out);
      } catch (IOException gone) {
        // The browser closed the pane.
      } catch (RuntimeException e) {
        LOG.log(Logger.Level.WARNING, "web page log stream ended: " + e.getMessage());
      }
    });
    try {
      while (!reader.join(Duration.ofSeconds(KEEPALIVE_SECONDS))) {
        out.keepalive();
      }
    } catch (IOException gone) {
      // The browser closed the pane: the follower ends at its next write, or now.
      reader.interrupt();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) {
      return q;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        q.put(java.net.URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private void stream(HttpExchange x) throws IOException {
    headers(x, "text/event-stream");
    x.getResponseHeaders().set("Cache-Control", "no-store");
    x.sendResponseHeaders(200, 0);
    LinkedBlockingQueue<String> changes = new LinkedBlockingQueue<>(1024);
    try (AutoCloseable sub = kubelet.watch(c -> changes.offer(c.pod().namespace() + "/" + c.pod().name()));
        OutputStream out = x.getResponseBody()) {
      out.write(": watching\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
      while (true) {
        String pod = changes.poll(KEEPALIVE_SECONDS, TimeUnit.SECONDS);
        out.write((pod == null ? ": keepalive\n\n" : "event: change\ndata: " + pod + "\n\n")
            .getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    } catch (IOException gone) {
      // The browser closed the page.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Logger.Level.WARNING, "web page watch ended: " + e.getMessage());
    }
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = WebServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new InternalException("the web page is missing from the daemon's jar", null);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void headers(HttpExchange x, String type) {
    x.getResponseHeaders().set("Content-Type", type);
    x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    x.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline';"
        + " frame-ancestors 'none'; form-action 'none'");
    x.getResponseHeaders().set("Referrer-Policy", "no-referrer");
  }

  private static void send(HttpExchange x, int status, String type, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    headers(x, type);
    x.sendResponseHeaders(status, b.length);
    x.getResponseBody().write(b);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
