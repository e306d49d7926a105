package io.peapod.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/// Reads one HTTP/1.1 request: the request line, headers (at most [#MAX_HEADER_BYTES] in all), and the
/// body by `Content-Length` or `Transfer-Encoding: chunked` (at most [#MAX_BODY_BYTES]). Anything it
/// cannot read is an [HttpProtocolException] saying what and carrying the status to answer with.
final class HttpRequestReader {
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 100;
  /// A chunk-size line (with extensions) or a trailer field.
  static final int MAX_CHUNK_LINE = 4096;
  /// A manifest or a small JSON request: what the Kubernetes API server takes. A manifest's parsed documents
  /// take up to eight times its size in the daemon's heap (96 MiB, `bin/peapod`).
  static final long MAX_BODY_BYTES = 3L * 1024 * 1024;
  /// A chunked body is held twice while it is put together, so it gets half: both fit the body budget.
  static final long MAX_CHUNKED_BYTES = MAX_BODY_BYTES / 2;
  /// Headers that may appear once (RFC 9110/9112): two of them make the request ambiguous.
  private static final java.util.Set<String> SINGLE = java.util.Set.of("content-length", "transfer-encoding", "host");

  private HttpRequestReader() {}

  /// The request, or empty when the client closed the connection before sending anything.
  static Optional<HttpRequest> read(InputStream in, OutputStream out, Runnable headersDone,
      BodyBudget.Reservation bodyBudget) throws IOException, HttpProtocolException {
    int[] budget = {MAX_HEADER_BYTES};
    String requestLine = line(in, budget);
    while (requestLine != null && requestLine.isEmpty()) {
      requestLine = line(in, budget);
    }
    if (requestLine == null) {
      return Optional.empty();
    }
    String[] parts = requestLine.split(" ", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/1.")) {
      throw new HttpProtocolException(400, "malformed request line (want METHOD /path HTTP/1.1)");
    }
    if (!parts[0].chars().allMatch(c -> c >= 'A' && c <= 'Z')) {
      throw new HttpProtocolException(400, "malformed method '" + printable(parts[0]) + "'");
    }
    if (!parts[1].startsWith("/")) {
      throw new HttpProtocolException(400, "request target must be a path starting with /");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    String h;
    while (true) {
      h = line(in, budget);
      if (h == null) {
        throw new HttpProtocolException(400, "connection closed before the end of the headers");
      }
      if (h.isEmpty()) {
        break;
      }
      int colon = h.indexOf(':');
      if (colon <= 0 || h.substring(0, colon).isBlank() || h.substring(0, colon).contains(" ")) {
        throw new HttpProtocolException(400, "malformed header line '" + printable(h) + "'");
      }
      if (headers.size() >= MAX_HEADERS) {
        throw new HttpProtocolException(431, "more than " + MAX_HEADERS + " headers");
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      if (headers.containsKey(name) && SINGLE.contains(name)) {
        throw new HttpProtocolException(400, "header " + name + " given twice");
      }
      headers.put(name, value);
    }
    headersDone.run();
    byte[] body = body(in, headers, bodyBudget);
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query;
    try {
      query = HttpRequest.parseQuery(q < 0 ? null : target.substring(q + 1));
    } catch (IllegalArgumentException e) {
      throw new HttpProtocolException(400, "malformed query string: " + e.getMessage());
    }
    return Optional.of(new HttpRequest(parts[0], path, query, headers, body, in, out));
  }

  private static byte[] body(InputStream in, Map<String, String> headers, BodyBudget.Reservation budget)
      throws IOException, HttpProtocolException {
    String te = headers.get("transfer-encoding");
    if (te != null) {
      if (headers.containsKey("content-length")) {
        throw new HttpProtocolException(400, "both Content-Length and Transfer-Encoding given");
      }
      if (!te.equalsIgnoreCase("chunked")) {
        throw new HttpProtocolException(400, "Transfer-Encoding '" + printable(te)
            + "' is not supported; send the body with Content-Length or chunked");
      }
      return chunked(in, budget);
    }
    String cl = headers.get("content-length");
    if (cl == null) {
      return new byte[0];
    }
    long length;
    try {
      length = Long.parseLong(cl);
    } catch (NumberFormatException e) {
      throw new HttpProtocolException(400, "Content-Length '" + printable(cl) + "' is not a number");
    }
    if (length < 0) {
      throw new HttpProtocolException(400, "Content-Length " + length + " is negative");
    }
    if (length > MAX_BODY_BYTES) {
      throw new HttpProtocolException(413, "body of " + length + " bytes is larger than the " + (MAX_BODY_BYTES >> 20)
          + " MiB allowed; apply a large manifest in several files");
    }
    budget.grow(length);
    byte[] body = new byte[(int) length];
    int read = in.readNBytes(body, 0, body.length);
    if (read != length) {
      throw new HttpProtocolException(400, "body ended after " + read + " of " + length + " bytes");
    }
    return body;
  }

  private static byte[] chunked(InputStream in, BodyBudget.Reservation budget)
      throws IOException, HttpProtocolException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String sizeLine = line(in, new int[] {MAX_CHUNK_LINE});
      if (sizeLine == null) {
        throw new HttpProtocolException(400, "chunked body ended without its last chunk");
      }
      int semi = sizeLine.indexOf(';');
      String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim();
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw new HttpProtocolException(400, "chunk size '" + printable(hex) + "' is not hexadecimal");
      }
      if (size < 0 || size > MAX_CHUNKED_BYTES - body.size()) {
        throw new HttpProtocolException(413, "chunked body is larger than the " + (MAX_CHUNKED_BYTES >> 10)
            + " KiB allowed; send it with Content-Length (up to " + (MAX_BODY_BYTES >> 20) + " MiB)");
      }
      if (size == 0) {
        String trailer;
        int trailers = 0;
        do {
          if (trailers++ > MAX_HEADERS) {
            throw new HttpProtocolException(431, "more than " + MAX_HEADERS + " trailer fields");
          }
          trailer = line(in, new int[] {MAX_CHUNK_LINE});
        } while (trailer != null && !trailer.isEmpty());
        return body.toByteArray();
      }
      // The buffer grows by copying, and the body is copied out once more: twice the chunk.
      budget.grow(2 * size);
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length != size) {
        throw new HttpProtocolException(400, "chunk ended after " + chunk.length + " of " + size + " bytes");
      }
      body.write(chunk);
      String end = line(in, new int[] {MAX_CHUNK_LINE});
      if (end == null || !end.isEmpty()) {
        throw new HttpProtocolException(400, "chunk of " + size + " bytes is not followed by CRLF");
      }
    }
  }

  /// One line without its CRLF (or LF); null at the end of the stream before any byte. `budget` is what
  /// is left of the header size limit.
  private static String line(InputStream in, int[] budget) throws IOException, HttpProtocolException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (--budget[0] < 0) {
        throw new HttpProtocolException(431, "a request line, header or chunk line is larger than allowed ("
            + MAX_HEADER_BYTES + " bytes for the headers, " + MAX_CHUNK_LINE + " for a chunk line)");
      }
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /// A client's text, safe to put in a message and a log line.
  static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char ch : s.toCharArray()) {
      sb.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
      if (sb.length() >= 80) {
        sb.append("...");
        break;
      }
    }
    return sb.toString();
  }
}
