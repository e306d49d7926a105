/// A minimal HTTP/1.1 server on a unix domain socket, JDK only: one virtual thread per connection,
/// `Content-Length` bodies, streamed responses that end when the connection closes, and `Upgrade` for
/// exec's bidirectional stream. Enough for the CLI, `curl --unix-socket` and a browser behind a proxy.
package io.peapod.server.http;
