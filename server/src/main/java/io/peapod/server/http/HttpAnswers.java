package io.peapod.server.http;

import io.peapod.base.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/// Writes an [HttpResponse] on a connection of [UnixHttpServer]: the status line and headers, then the
/// body whole or streamed, always `Connection: close` (one request per connection).
final class HttpAnswers {
  private HttpAnswers() {}

  /// A stream (`logs -f`, a watch) may write nothing for a long time, so it would not notice a client
  /// that left; one request per connection means the client sends nothing more, so the end of its input
  /// is its leaving, and the stream's thread is interrupted to stop it.
  static void writeUntilClientLeaves(HttpResponse resp, InputStream in, OutputStream out) throws IOException {
    Thread streaming = Thread.currentThread();
    AtomicBoolean done = new AtomicBoolean();
    Thread.ofVirtual().name("api-client-watch").start(() -> {
      try {
        while (in.read() >= 0) {
          // Bytes after the request are not ours to read; only the end matters.
        }
      } catch (IOException closed) {
        // The connection ended: the same as the client leaving.
      }
      if (!done.get()) {
        streaming.interrupt();
      }
    });
    try {
      write(resp, out);
    } finally {
      done.set(true);
    }
  }

  static void writeError(OutputStream out, int status, String code, String message) throws IOException {
    String body = "{\"error\":{\"code\":\"" + code + "\",\"message\":" + Json.write(message) + "}}";
    write(HttpResponse.json(status, body), out);
  }

  static void write(HttpResponse resp, OutputStream out) throws IOException {
    switch (resp) {
      case HttpResponse.Full f -> {
        out.write(("HTTP/1.1 " + f.status() + " " + reason(f.status()) + "\r\nContent-Type: " + f.contentType()
            + "\r\nContent-Length: " + f.body().length + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
        out.write(f.body());
        out.flush();
      }
      case HttpResponse.Streamed s -> {
        out.write(("HTTP/1.1 " + s.status() + " " + reason(s.status()) + "\r\nContent-Type: " + s.contentType()
            + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        s.writer().write(out);
        out.flush();
      }
      case HttpResponse.Upgraded u -> out.flush();
    }
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 101 -> "Switching Protocols";
      case 400 -> "Bad Request";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 412 -> "Precondition Failed";
      case 413 -> "Content Too Large";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 507 -> "Insufficient Storage";
      default -> "Status";
    };
  }
}
