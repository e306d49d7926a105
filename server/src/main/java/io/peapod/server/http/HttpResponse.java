package io.peapod.server.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/// What a handler returns: a whole body, a stream written until done, or an upgraded connection
/// that the handler already took over.
public sealed interface HttpResponse {
  record Full(int status, String contentType, byte[] body) implements HttpResponse {}

  /// A body of unknown length, written by `writer`; the connection closes after it.
  record Streamed(int status, String contentType, BodyWriter writer) implements HttpResponse {}

  /// The handler wrote the 101 response and owns the connection.
  record Upgraded() implements HttpResponse {}

  @FunctionalInterface
  interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  static HttpResponse json(int status, String json) {
    return new Full(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }
}
