package io.peapod.server.http;

/// Handles one request. Errors thrown here are turned into a JSON error response by the server.
@FunctionalInterface
public interface HttpHandler {
  HttpResponse handle(HttpRequest request) throws Exception;
}
