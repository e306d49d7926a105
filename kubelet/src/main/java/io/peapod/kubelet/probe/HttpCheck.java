package io.peapod.kubelet.probe;

import io.peapod.kubelet.manifest.Handler;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/// The network checks kubelet makes from the node into a pod: an HTTP GET (status 200 to 399 is
/// success; HTTPS without verifying the certificate, as kubelet does) and a TCP connect.
public final class HttpCheck {
  /// kubelet reads at most this much of a probe's response body, for the failure message.
  private static final int MAX_BODY = 10 * 1024;
  private final SSLContext insecure;

  public HttpCheck() {
    try {
      insecure = SSLContext.getInstance("TLS");
      insecure.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) { }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, new SecureRandom());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("TLS is not available", e);
    }
  }

  public ProbeOutcome get(Handler.HttpGet h, String host, int port, Duration timeout) {
    String scheme = h.scheme().toLowerCase(java.util.Locale.ROOT);
    String target = scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + h.path();
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) URI.create(target).toURL().openConnection(java.net.Proxy.NO_PROXY);
      if (c instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(insecure.getSocketFactory());
        https.setHostnameVerifier((name, session) -> true);
      }
      int ms = (int) Math.max(1, timeout.toMillis());
      c.setConnectTimeout(ms);
      c.setReadTimeout(ms);
      c.setRequestProperty("User-Agent", "kube-probe/peapod");
      c.setRequestProperty("Accept", "*/*");
      for (Handler.Header header : h.headers()) {
        c.setRequestProperty(header.name(), header.value());
      }
      int status = c.getResponseCode();
      if (status >= 200 && status < 400) {
        return ProbeOutcome.OK;
      }
      return ProbeOutcome.failure("HTTP probe failed with statuscode: " + status + body(c));
    } catch (IOException | IllegalArgumentException e) {
      return ProbeOutcome.failure("Get \"" + target + "\": " + e.getMessage());
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  private static String body(HttpURLConnection c) {
    try (InputStream err = c.getErrorStream()) {
      if (err == null) {
        return "";
      }
      String b = new String(err.readNBytes(MAX_BODY), StandardCharsets.UTF_8).strip();
      return b.isEmpty() ? "" : " (" + b + ")";
    } catch (IOException e) {
      return "";
    }
  }

  public ProbeOutcome connect(String host, int port, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
      return ProbeOutcome.OK;
    } catch (IOException e) {
      return ProbeOutcome.failure("dial tcp " + host + ":" + port + ": " + e.getMessage());
    }
  }
}
