package io.peapod.e2e;

import io.peapod.base.io.FileTrees;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
  private final Process process;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalRegistry(int port, Path storage, Process process) {
    this.port = port;
    this.storage = storage;
    this.process = process;
  }

  static LocalRegistry start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("peapod-it-registry");
    Path config = Files.writeString(dir.resolve("config.yml"), """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        log:
          level: error
        """.formatted(dir.resolve("data"), port));
    Process p = new ProcessBuilder("docker-registry", "serve", config.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log").toFile()).start();
    LocalRegistry r = new LocalRegistry(port, dir, p);
    Instant deadline = Instant.now().plusSeconds(15);
    while (Instant.now().isBefore(deadline)) {
      try {
        if (r.http.send(HttpRequest.newBuilder(r.uri("/v2/")).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode() == 200) {
          return r;
        }
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
