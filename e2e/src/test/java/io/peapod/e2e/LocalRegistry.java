package io.peapod.e2e;

import io.peapod.base.io.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/// Debian's docker-registry on a free loopback port, with its storage in a temp dir, and a minimal
/// pusher (monolithic blob uploads, then the manifest) so tests can publish the images they build.
final class LocalRegistry implements AutoCloseable {
  final int port;
  final Path storage;
  private Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalRegistry(int port, Path storage, Process process) {
    this.port = port;
    this.storage = storage;
    this.process = process;
  }

  static LocalRegistry start() throws Exception {
    Path dir = Files.createTempDirectory("peapod-it-registry");
    return start(dir, dir.resolve("data"), "");
  }

  /// A second registry over another's storage, with TLS (a certificate for 127.0.0.1 signed by a CA
  /// made here, at `<dir>/ca.pem`) and htpasswd basic auth for `user`/`secret`.
  static LocalRegistry startSecure(LocalRegistry plain) throws Exception {
    Path dir = Files.createTempDirectory("peapod-it-registry-tls");
    sh(dir, "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 1 -subj /CN=peapod-it-ca"
        + " && openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj /CN=127.0.0.1"
        + " && printf 'subjectAltName=IP:127.0.0.1' > san.ext"
        + " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 1"
        + " -extfile san.ext && htpasswd -Bbn user secret > htpasswd");
    return start(dir, plain.storage.resolve("data"), """
          tls:
            certificate: %s
            key: %s
        auth:
          htpasswd:
            realm: peapod-it
            path: %s
        """.formatted(dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("htpasswd")));
  }

  private static void sh(Path dir, String script) throws Exception {
    Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new AssertionError("making certificates failed: " + out);
    }
  }

  private static LocalRegistry start(Path dir, Path data, String httpExtra) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path config = Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        %slog:
          level: error
        """.formatted(data, port, httpExtra));
    Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile()).start();
    LocalRegistry r = new LocalRegistry(port, dir, p);
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return r;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    r.close();
    throw new AssertionError("docker-registry did not start: " + Files.readString(dir.resolve("log")));
  }

  String host() {
    return "127.0.0.1:" + port;
  }

  URI uri(String path) {
    return URI.create("http://" + host() + path);
  }

  void pushBlob(String repo, byte[] blob) throws Exception {
    HttpResponse<Void> start = http.send(HttpRequest.newBuilder(uri("/v2/" + repo + "/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    String location = start.headers().firstValue("location").orElseThrow();
    URI put = URI.create(location.startsWith("http") ? location : "http://" + host() + location);
    String sep = put.toString().contains("?") ? "&" : "?";
    HttpResponse<String> done = http.send(HttpRequest.newBuilder(URI.create(put + sep + "digest=sha256:"
            + Archives.sha256(blob))).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.ofString());
    if (done.statusCode() != 201) {
      throw new AssertionError("blob upload: " + done.statusCode() + " " + done.body());
    }
  }

  void pushManifest(String repo, String reference, String mediaType, byte[] manifest) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/v2/" + repo + "/manifests/" + reference))
        .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new AssertionError("manifest upload: " + r.statusCode() + " " + r.body());
    }
  }

  /// SIGKILL, as a crash or a cut network looks to a client in the middle of a download.
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /// Starts the registry again on the same port and storage.
  void restart() throws Exception {
    process = new ProcessBuilder("docker-registry", "serve", storage.resolve("config.yml").toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(storage.resolve("log").toFile()))
        .start();
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("docker-registry did not restart");
  }

  /// Where the registry keeps a blob's bytes, to corrupt it.
  Path blobData(String hex) {
    return storage.resolve("data/docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
    FileTrees.delete(storage);
  }
}
