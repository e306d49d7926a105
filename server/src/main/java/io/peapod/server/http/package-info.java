/// A small HTTP/1.1 server on a unix domain socket, JDK only: one virtual thread per connection, bounded
/// in number, time and size ([io.peapod.server.http.UnixHttpServer.Limits]); `Content-Length` and chunked
/// request bodies; streamed responses that end when the connection closes; and `Upgrade` for exec's
/// bidirectional stream. Enough for the CLI, `curl --unix-socket` and a browser behind a proxy.
package io.peapod.server.http;
