package io.peapod.image.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.peapod.base.error.NotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/// The bearer-token challenge flow against a fake registry and token service on loopback.
class RegistryClientTest {
  private HttpServer server;
  /// Where blobs redirect to, as registries send them to object storage.
  private HttpServer storage;
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private String base;
  private String storageBase;

  @BeforeEach
  void start() throws IOException {
    storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    storageBase = "http://localhost:" + storage.getAddress().getPort();
    storage.createContext("/signed/", ex -> {
      seen.add("storage " + ex.getRequestURI() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, 200, "blob-bytes", Map.of());
    });
    storage.start();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    server.createContext("/token", ex -> {
      seen.add("token " + ex.getRequestURI().getQuery() + " auth=" + ex.getRequestHeaders().getFirst("Authorization"));
      reply(ex, 200, "{\"token\":\"t0k3n\"}", Map.of());
    });
    server.createContext("/v2/", ex -> {
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      seen.add(ex.getRequestURI().getPath() + " auth=" + auth);
      if (!"Bearer t0k3n".equals(auth)) {
        reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}",
            Map.of("WWW-Authenticate", "Bearer realm=\"" + base + "/token\",service=\"fake\",scope=\"repository:"
                + "team/app:pull\""));
      } else if (ex.getRequestURI().getPath().endsWith("/manifests/v1")) {
        reply(ex, 200, "{\"schemaVersion\":2}", Map.of("Content-Type", "application/vnd.oci.image.manifest.v1+json"));
      } else if (ex.getRequestURI().getPath().endsWith("/blobs/sha256:abc")) {
        reply(ex, 307, "", Map.of("Location", storageBase + "/signed/abc?sig=1"));
      } else {
        reply(ex, 404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest unknown\"}]}", Map.of());
      }
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    storage.stop(0);
  }

  private static void reply(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().add(k, v));
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  private RegistryConfig.Endpoint endpoint(Optional<RegistryConfig.Credentials> creds) {
    return new RegistryConfig.Endpoint(URI.create(base), "127.0.0.1", Optional.empty(), creds);
  }

  @Test
  void manifest_bearerChallenge_fetchesTokenWithCredentials_andRetries() {
    RegistryClient client = new RegistryClient();
    var m = client.manifest(endpoint(Optional.of(new RegistryConfig.Credentials("u", "p"))), "team/app", "v1");
    assertEquals("{\"schemaVersion\":2}", new String(m.bytes(), StandardCharsets.UTF_8));
    assertEquals("application/vnd.oci.image.manifest.v1+json", m.mediaType());
    assertEquals("/v2/team/app/manifests/v1 auth=null", seen.get(0));
    assertEquals("token service=fake&scope=repository:team/app:pull auth=Basic dTpw", seen.get(1), "u:p as basic");
    assertEquals("/v2/team/app/manifests/v1 auth=Bearer t0k3n", seen.get(2));
    client.manifest(endpoint(Optional.of(new RegistryConfig.Credentials("u", "p"))), "team/app", "v1");
    assertEquals(4, seen.size(), "the token is reused for the same repository and credentials");
  }

  @Test
  void manifest_tokenEarnedWithCredentials_isNotReusedWithout() {
    RegistryClient client = new RegistryClient();
    client.manifest(endpoint(Optional.of(new RegistryConfig.Credentials("u", "p"))), "team/app", "v1");
    seen.clear();
    client.manifest(endpoint(Optional.empty()), "team/app", "v1");
    assertEquals("/v2/team/app/manifests/v1 auth=null", seen.get(0), "an anonymous pull starts without it");
    assertEquals("token service=fake&scope=repository:team/app:pull auth=null", seen.get(1));
  }

  @Test
  void blob_redirectedToStorage_isFetchedThere_withoutTheRegistrysCredentials() throws IOException {
    RegistryClient.Blob b = new RegistryClient().blob(endpoint(Optional.of(new RegistryConfig.Credentials("u", "p"))),
        "team/app", "sha256:abc");
    try (var in = b.stream()) {
      assertEquals("blob-bytes", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals("/v2/team/app/blobs/sha256:abc auth=Bearer t0k3n", seen.get(2), "the registry gets the token");
    assertEquals("storage /signed/abc?sig=1 auth=null", seen.get(3), "the storage gets no credentials");
  }

  @Test
  void manifest_missing_isNotFoundWithTheRegistrysCode() {
    var e = assertThrows(NotFoundException.class,
        () -> new RegistryClient().manifest(endpoint(Optional.empty()), "team/app", "nope"));
    assertTrue(e.getMessage().contains("MANIFEST_UNKNOWN"), e.getMessage());
  }

  @Test
  void config_mirrorsFirst_localhostInsecure_othersTls() {
    RegistryConfig c = new RegistryConfig(Map.of("docker.io", new RegistryConfig.Host(List.of("127.0.0.1:5000"),
        Optional.empty(), Optional.empty(), Optional.empty())));
    assertEquals(List.of("http://127.0.0.1:5000", "https://registry-1.docker.io"),
        c.endpoints("docker.io").stream().map(e -> e.base().toString()).toList());
    assertEquals("https://reg.example:5000", c.endpoints("reg.example:5000").getFirst().base().toString());
  }
}
