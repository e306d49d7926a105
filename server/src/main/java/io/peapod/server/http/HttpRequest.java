package io.peapod.server.http;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// One request: method, path, decoded query parameters, headers (lower-case names) and body. `raw` and
/// `rawOut` are the connection's streams, for handlers that upgrade the connection.
public record HttpRequest(String method, String path, Map<String, String> query, Map<String, String> headers,
    byte[] body, InputStream raw, OutputStream rawOut) {

  public Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name));
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  static Map<String, String> parseQuery(String q) {
    Map<String, String> out = new LinkedHashMap<>();
    if (q == null || q.isEmpty()) {
      return out;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }
}
