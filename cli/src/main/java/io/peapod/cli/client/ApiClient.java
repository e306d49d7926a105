package io.peapod.cli.client;

import io.peapod.base.api.v1.ErrorAnswer;
import io.peapod.base.error.ErrorCode;
import io.peapod.base.error.PeapodException;
import io.peapod.base.error.UnavailableException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.base.json.JsonRecords;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/// Talks to the daemon: one connection per request, JSON answers, errors rethrown with their class.
public final class ApiClient {
  private final Path socket;
  private final Connection.Connector connector;

  public ApiClient(Path socket, Connection.Connector connector) {
    this.socket = socket;
    this.connector = connector;
  }

  /// An open response: status, headers, and the body stream (the connection closes with it).
  public record Response(int status, Map<String, String> headers, InputStream body, Connection connection)
      implements AutoCloseable {
    /// What is sent after the head, on an upgraded connection (exec's stdin, port-forward's bytes).
    public OutputStream out() {
      return connection.out();
    }

    @Override
    public void close() throws IOException {
      connection.close();
    }
  }

  public JsonNode get(String path, Map<String, String> query) {
    return json("GET", path, query, null);
  }

  /// A GET read into the API's typed document (a record of [io.peapod.base.api.v1]).
  public <R extends Record> R get(String path, Map<String, String> query, Class<R> type) {
    return JsonRecords.read(get(path, query), type);
  }

  public <R extends Record> R json(String method, String path, Map<String, String> query, byte[] body,
      Class<R> type) {
    return JsonRecords.read(json(method, path, query, body), type);
  }

  public JsonNode json(String method, String path, Map<String, String> query, byte[] body) {
    try (Response r = open(method, path, query, body, Map.of())) {
      byte[] bytes = r.body().readAllBytes();
      return check(r.status(), bytes);
    } catch (IOException e) {
      throw new UnavailableException("talk to the daemon at " + socket + ": " + e.getMessage(), e);
    }
  }

  /// Sends a request and returns the open response for streaming; the caller closes it.
  public Response open(String method, String path, Map<String, String> query, byte[] body,
      Map<String, String> extraHeaders) throws IOException {
    Connection ch;
    try {
      ch = connector.connect(socket);
    } catch (IOException e) {
      throw new UnavailableException("cannot reach the peapod daemon at " + socket + " (" + e.getMessage()
          + "); is it running? Start it with 'peapod daemon' or set --socket / PEAPOD_SOCKET", e);
    }
    OutputStream out = ch.out();
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(path).append(query(query)).append(" HTTP/1.1\r\nHost: peapod\r\n");
    extraHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    byte[] b = body == null ? new byte[0] : body;
    req.append("Content-Length: ").append(b.length).append("\r\n\r\n");
    IOException unsent = null;
    try {
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.write(b);
      out.flush();
    } catch (IOException e) {
      // The daemon may have refused the request before reading all of it (a body too large) and said why.
      unsent = e;
    }
    try {
      InputStream in = new BufferedInputStream(ch.in(), 16 * 1024);
      String status = unsent == null ? line(in) : answerAfter(unsent, in);
      if (status == null || !status.startsWith("HTTP/1.1 ")) {
        if (unsent != null) {
          throw unsent;
        }
        throw new UnavailableException("the daemon at " + socket + " sent no HTTP answer", null);
      }
      Map<String, String> headers = new LinkedHashMap<>();
      String h;
      while ((h = line(in)) != null && !h.isEmpty()) {
        int c = h.indexOf(':');
        if (c > 0) {
          headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
        }
      }
      InputStream bodyIn = headers.containsKey("content-length")
          ? new BoundedInputStream(in, Long.parseLong(headers.get("content-length"))) : in;
      return new Response(Integer.parseInt(status.substring(9, 12)), headers, bodyIn, ch);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /// Returns the JSON of a 2xx answer; rethrows an error answer as the error class it names.
  public static JsonNode check(int status, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (status >= 200 && status < 300) {
      return Json.parseNode(text.isEmpty() ? "{}" : text);
    }
    ErrorAnswer.Body err;
    try {
      err = JsonRecords.read(text, ErrorAnswer.class).error();
    } catch (RuntimeException notJson) {
      throw new UnavailableException("the daemon answered " + status + ": " + text, notJson);
    }
    throw PeapodException.of(ErrorCode.parse(err.code().isEmpty() ? "internal" : err.code()),
        err.message().isEmpty() ? text : err.message());
  }

  private static String query(Map<String, String> q) {
    if (q.isEmpty()) {
      return "";
    }
    StringJoiner j = new StringJoiner("&", "?", "");
    q.forEach((k, v) -> j.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return j.toString();
  }

  private static String answerAfter(IOException unsent, InputStream in) throws IOException {
    try {
      return line(in);
    } catch (IOException e) {
      unsent.addSuppressed(e);
      throw unsent;
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  /// Reads at most `remaining` bytes of the underlying stream.
  private static final class BoundedInputStream extends InputStream {
    private final InputStream in;
    private long remaining;

    BoundedInputStream(InputStream in, long remaining) {
      this.in = in;
      this.remaining = remaining;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        remaining--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }
}
