package io.peapod.server.http;

/// A request the server cannot read as HTTP: answered with `status` (400, 408, 411, 413, 431, 501) and
/// the message, then the connection closes.
final class HttpProtocolException extends Exception {
  private final int status;

  HttpProtocolException(int status, String message) {
    super(message);
    this.status = status;
  }

  int status() {
    return status;
  }
}
