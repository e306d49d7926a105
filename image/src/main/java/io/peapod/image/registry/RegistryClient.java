package io.peapod.image.registry;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.json.Json;
import io.peapod.image.content.ContentProvider;
import io.peapod.image.registry.RegistryConfig.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/// GETs manifests and blobs from one registry endpoint at a time (distribution spec: `/v2/<name>/
/// manifests/<ref>`, `/v2/<name>/blobs/<digest>`), answering `401` challenges: `Bearer` by fetching a
/// token from the realm (with the host's credentials, if any), `Basic` with the credentials. HTTP
/// statuses become peapod's error classes here and nowhere else.
///
/// Built on [HttpURLConnection], whose body streams read the socket on the caller's thread: the JDK's
/// `java.net.http.HttpClient` reads every connection on one selector thread and hands bodies over
/// through a queue of buffers, which measured twice as slow for parallel layer downloads
/// (docs/benchmarks.md). Redirects are followed here, not by the connection, so that credentials go
/// only to the registry itself and never to the storage a blob redirects to.
public final class RegistryClient {
  static final List<String> MANIFEST_TYPES = List.of("application/vnd.oci.image.index.v1+json",
      "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.distribution.manifest.list.v2+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  /// A silence this long ends a download; per read, so a big layer on a slow link is not cut short.
  private static final int READ_TIMEOUT_MS = 120_000;
  private static final int MAX_REDIRECTS = 10;
  /// The distribution spec's limit for a manifest registries must accept; anything bigger is refused.
  private static final int MAX_MANIFEST_BYTES = ContentProvider.MAX_DOCUMENT_BYTES;

  private final Map<Path, SSLSocketFactory> trust = new ConcurrentHashMap<>();
  private final Map<TokenScope, String> tokens = new ConcurrentHashMap<>();

  /// What an Authorization header was earned for. The credentials are part of it: a header one pod's
  /// pull secret earned must not serve a pull made without it.
  private record TokenScope(URI base, String repository, Optional<RegistryConfig.Credentials> credentials) {}

  /// A manifest as the registry sent it.
  public record Manifest(byte[] bytes, String mediaType) {}

  /// A blob's bytes, still streaming (the caller closes them), and its length (-1 when not sent).
  public record Blob(InputStream stream, long length) {}

  public Manifest manifest(Endpoint e, String repository, String reference) {
    HttpURLConnection c = get(e, repository, "/manifests/" + reference, String.join(", ", MANIFEST_TYPES));
    try (InputStream in = c.getInputStream()) {
      byte[] bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
      if (bytes.length > MAX_MANIFEST_BYTES) {
        throw new InvalidArgumentException(e.base().getAuthority() + "/" + repository + ": manifest " + reference
            + " is larger than " + (MAX_MANIFEST_BYTES >> 20) + " MiB; refusing it");
      }
      return new Manifest(bytes, Objects.requireNonNullElse(c.getContentType(), "").split(";")[0].trim());
    } catch (IOException ex) {
      throw unavailable(e, ex);
    }
  }

  /// Opens a blob's bytes (following redirects); the caller verifies them against the digest.
  public Blob blob(Endpoint e, String repository, String digest) {
    HttpURLConnection c = get(e, repository, "/blobs/" + digest, "*/*");
    try {
      return new Blob(c.getInputStream(), c.getContentLengthLong());
    } catch (IOException ex) {
      throw unavailable(e, ex);
    }
  }

  /// A `200` answer to a GET, after one round of authentication if the registry asks for it.
  private HttpURLConnection get(Endpoint e, String repository, String path, String accept) {
    URI uri = e.base().resolve("/v2/" + repository + path);
    TokenScope scopeKey = new TokenScope(e.base(), repository, e.credentials());
    HttpURLConnection c = send(e, uri, accept, Optional.ofNullable(tokens.get(scopeKey)));
    if (status(e, c) == 401) {
      String challenge = Objects.requireNonNullElse(c.getHeaderField("WWW-Authenticate"), "");
      discard(c);
      String auth = authorize(e, challenge, repository);
      tokens.put(scopeKey, auth);
      c = send(e, uri, accept, Optional.of(auth));
    }
    int status = status(e, c);
    if (status == 200) {
      return c;
    }
    String body = errorText(c);
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

  /// Sends a GET and follows redirects. `auth` goes only to the endpoint's own host: a blob redirected
  /// to object storage is fetched without the registry's credentials.
  private HttpURLConnection send(Endpoint e, URI uri, String accept, Optional<String> auth) {
    URI at = uri;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      boolean home = Objects.equals(at.getRawAuthority(), e.base().getRawAuthority())
          && Objects.equals(at.getScheme(), e.base().getScheme());
      HttpURLConnection c;
      try {
        c = (HttpURLConnection) at.toURL().openConnection();
        if (c instanceof HttpsURLConnection tls && e.ca().isPresent()) {
          tls.setSSLSocketFactory(trust.computeIfAbsent(e.ca().get(), RegistryClient::trusting));
        }
        c.setConnectTimeout(CONNECT_TIMEOUT_MS);
        c.setReadTimeout(READ_TIMEOUT_MS);
        c.setInstanceFollowRedirects(false);
        c.setRequestProperty("Accept", accept);
        c.setRequestProperty("User-Agent", "peapod/0.1");
        if (home) {
          auth.ifPresent(a -> c.setRequestProperty("Authorization", a));
        }
      } catch (IOException | IllegalArgumentException ex) {
        throw new InvalidArgumentException("registry " + e.base() + ": cannot request " + at + ": " + ex.getMessage(), ex);
      }
      int status = status(e, c);
      String location = c.getHeaderField("Location");
      if (!List.of(301, 302, 303, 307, 308).contains(status) || location == null) {
        return c;
      }
      discard(c);
      at = at.resolve(location);
    }
    throw new UnavailableException("registry " + e.base() + ": more than " + MAX_REDIRECTS + " redirects for " + uri,
        null);
  }

  private static int status(Endpoint e, HttpURLConnection c) {
    try {
      return c.getResponseCode();
    } catch (IOException ex) {
      throw unavailable(e, ex);
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
    HttpURLConnection c = send(new Endpoint(realm, realm.getAuthority(), e.ca(), e.credentials()), realm,
        "application/json", basic);
    if (status(e, c) != 200) {
      throw new FailedPreconditionException(e.host() + ": token request to " + realm.getAuthority() + " answered "
          + status(e, c) + " (" + errorText(c) + ")");
    }
    try (InputStream in = c.getInputStream()) {
      var token = Json.parseNode(new String(in.readNBytes(MAX_MANIFEST_BYTES), StandardCharsets.UTF_8));
      return "Bearer " + token.get("token").text().or(() -> token.get("access_token").text())
          .orElseThrow(() -> new InvalidArgumentException(e.host() + ": token response has no token"));
    } catch (IOException ex) {
      throw unavailable(e, ex);
    }
  }

  /// An SSL socket factory that trusts the system's roots and the certificates in a PEM file (a
  /// registry's own CA), as containerd's `ca` setting adds to the system pool rather than replacing it.
  private static SSLSocketFactory trusting(Path pem) {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        ks.setCertificateEntry("ca-" + i++, cert);
      }
      X509TrustManager own = trustManager(ks);
      X509TrustManager system = trustManager(null);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          system.checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
          try {
            own.checkServerTrusted(chain, authType);
          } catch (CertificateException notOurs) {
            system.checkServerTrusted(chain, authType);
          }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return Stream.concat(Arrays.stream(own.getAcceptedIssuers()), Arrays.stream(system.getAcceptedIssuers()))
              .toArray(X509Certificate[]::new);
        }
      }}, null);
      return ctx.getSocketFactory();
    } catch (IOException | GeneralSecurityException ex) {
      throw new InvalidArgumentException("load CA certificates from " + pem + ": " + ex.getMessage());
    }
  }

  /// The X.509 trust manager for `roots`, or for the JDK's own roots when null.
  private static X509TrustManager trustManager(KeyStore roots) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(roots);
    return Arrays.stream(tmf.getTrustManagers()).filter(X509TrustManager.class::isInstance)
        .map(X509TrustManager.class::cast).findFirst()
        .orElseThrow(() -> new GeneralSecurityException("no X.509 trust manager"));
  }

  private static UnavailableException unavailable(Endpoint e, IOException ex) {
    return new UnavailableException("registry " + e.base() + " unreachable: " + ex, ex);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /// Reads an answer that is not used to its end, so the connection can serve the next request.
  private static void discard(HttpURLConnection c) {
    try (InputStream in = body(c)) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException ignored) {
      // Only the connection's reuse is at stake.
    }
  }

  private static InputStream body(HttpURLConnection c) throws IOException {
    if (c.getResponseCode() < 400) {
      return c.getInputStream();
    }
    return Objects.requireNonNullElse(c.getErrorStream(), InputStream.nullInputStream());
  }

  private static String errorText(HttpURLConnection c) {
    try (InputStream in = body(c)) {
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
