package io.peapod.image.registry;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.json.Json;
import io.peapod.image.registry.RegistryConfig.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/// GETs manifests and blobs from one registry endpoint at a time (distribution spec: `/v2/<name>/
/// manifests/<ref>`, `/v2/<name>/blobs/<digest>`), answering `401` challenges: `Bearer` by fetching a
/// token from the realm (with the host's credentials, if any), `Basic` with the credentials. HTTP
/// statuses become peapod's error classes here and nowhere else.
public final class RegistryClient {
  static final List<String> MANIFEST_TYPES = List.of("application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Map<Optional<Path>, HttpClient> clients = new ConcurrentHashMap<>();
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  /// A manifest as the registry sent it.
  public record Manifest(byte[] bytes, String mediaType) {}

  public Manifest manifest(Endpoint e, String repository, String reference) {
    HttpResponse<InputStream> r = get(e, repository, "/manifests/" + reference, String.join(", ", MANIFEST_TYPES));
    try (InputStream in = r.body()) {
      byte[] bytes = in.readAllBytes();
      return new Manifest(bytes, r.headers().firstValue("content-type").orElse("").split(";")[0].trim());
    } catch (IOException ex) {
      throw unavailable(e, ex);
    }
  }

  /// Opens a blob's bytes (following redirects); the caller verifies them against the digest.
  public Blob blob(Endpoint e, String repository, String digest) {
    HttpResponse<InputStream> r = get(e, repository, "/blobs/" + digest, "*/*");
    return new Blob(r.body(), r.headers().firstValueAsLong("content-length").orElse(-1));
  }

  public record Blob(InputStream stream, long length) {}

  private HttpResponse<InputStream> get(Endpoint e, String repository, String path, String accept) {
    URI uri = e.base().resolve("/v2/" + repository + path);
    String scopeKey = e.base() + " " + repository;
    HttpResponse<InputStream> r = send(e, uri, accept, Optional.ofNullable(tokens.get(scopeKey)));
    if (r.statusCode() == 401) {
      String challenge = r.headers().firstValue("www-authenticate").orElse("");
      drain(r);
      String auth = authorize(e, challenge, repository);
      tokens.put(scopeKey, auth);
      r = send(e, uri, accept, Optional.of(auth));
    }
    int status = r.statusCode();
    if (status == 200) {
      return r;
    }
    String body = errorText(r);
    String what = e.base().getAuthority() + "/" + repository + path;
    throw switch (status) {
      case 404 -> new NotFoundException(what + ": not found (" + body + ")");
      case 401, 403 -> new FailedPreconditionException(what + ": unauthorized (" + body
          + "); set username and password for " + e.host() + " in the registries config");
      case 429, 500, 502, 503, 504 -> new UnavailableException(what + ": registry answered " + status + " (" + body + ")",
          null);
      default -> new InternalException(what + ": registry answered " + status + " (" + body + ")", null);
    };
  }

  private HttpResponse<InputStream> send(Endpoint e, URI uri, String accept, Optional<String> auth) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("Accept", accept)
        .header("User-Agent", "peapod/0.1").GET();
    auth.ifPresent(a -> b.header("Authorization", a));
    try {
      return client(e.ca()).send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException ex) {
      throw unavailable(e, ex);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted talking to " + e.base(), ex);
    }
  }

  /// The Authorization header a challenge asks for: a bearer token from the realm, or basic credentials.
  private String authorize(Endpoint e, String challenge, String repository) {
    Map<String, String> params = new LinkedHashMap<>();
    Matcher m = PARAM.matcher(challenge);
    while (m.find()) {
      params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2));
    }
    Optional<String> basic = e.credentials().map(c -> "Basic " + Base64.getEncoder().encodeToString(
        (c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8)));
    if (challenge.regionMatches(true, 0, "Basic", 0, 5)) {
      return basic.orElseThrow(() -> new FailedPreconditionException("unauthorized: " + e.host() + " wants a username and password;"
          + " set them for " + e.host() + " in the registries config"));
    }
    if (!challenge.regionMatches(true, 0, "Bearer", 0, 6) || !params.containsKey("realm")) {
      throw new FailedPreconditionException(e.host() + ": unsupported authentication challenge '" + challenge + "'");
    }
    String scope = params.getOrDefault("scope", "repository:" + repository + ":pull");
    URI realm = URI.create(params.get("realm") + "?service=" + enc(params.getOrDefault("service", ""))
        + "&scope=" + enc(scope));
    HttpResponse<InputStream> r = send(e, realm, "application/json", basic);
    if (r.statusCode() != 200) {
      throw new FailedPreconditionException(e.host() + ": token request to " + realm.getAuthority() + " answered "
          + r.statusCode() + " (" + errorText(r) + ")");
    }
    try (InputStream in = r.body()) {
      var token = Json.parseNode(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return "Bearer " + token.get("token").text().or(() -> token.get("access_token").text())
          .orElseThrow(() -> new InvalidArgumentException(e.host() + ": token response has no token"));
    } catch (IOException ex) {
      throw unavailable(e, ex);
    }
  }

  private HttpClient client(Optional<Path> ca) {
    return clients.computeIfAbsent(ca, c -> {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
          .followRedirects(HttpClient.Redirect.NORMAL).version(HttpClient.Version.HTTP_1_1);
      c.ifPresent(path -> b.sslContext(trusting(path)));
      return b.build();
    });
  }

  /// An SSL context that trusts the certificates in a PEM file (a registry's own CA).
  private static SSLContext trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, cert);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException ex) {
      throw new InvalidArgumentException("load CA certificates from " + pem + ": " + ex.getMessage());
    }
  }

  private static UnavailableException unavailable(Endpoint e, IOException ex) {
    return new UnavailableException("registry " + e.base() + " unreachable: " + ex, ex);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void drain(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // Only the connection's reuse is at stake.
    }
  }

  private static String errorText(HttpResponse<InputStream> r) {
    try (InputStream in = r.body()) {
      String body = new String(in.readNBytes(4096), StandardCharsets.UTF_8).trim();
      try {
        var errors = Json.parseNode(body).get("errors").list();
        if (!errors.isEmpty()) {
          return errors.getFirst().get("code").text("") + ": " + errors.getFirst().get("message").text("");
        }
      } catch (RuntimeException notJson) {
        return body;
      }
      return body;
    } catch (IOException e) {
      return "no body";
    }
  }
}
