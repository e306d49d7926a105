package io.peapod.server.stream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/// The zlib dictionary SPDY/3 header blocks are compressed with (draft 3.1, section 2.6.10.1), built from
/// its two parts: header words, each as a 4-byte length and the word, then a run of common values.
/// SPDY peers must agree on it to the byte; [SpdyConnectionTest] checks its length and checksum.
final class SpdyDictionary {
  private static final List<String> WORDS = List.of("options", "head", "post", "put", "delete", "trace", "accept",
      "accept-charset", "accept-encoding", "accept-language", "accept-ranges", "age", "allow", "authorization",
      "cache-control", "connection", "content-base", "content-encoding", "content-language", "content-length",
      "content-location", "content-md5", "content-range", "content-type", "date", "etag", "expect", "expires",
      "from", "host", "if-match", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since",
      "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "range",
      "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade", "user-agent", "vary", "via",
      "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1", "url", "public",
      "set-cookie", "keep-alive", "origin");
  private static final String VALUES = "100101201202205206300302303304305306307402405406407408409410411412413414415"
      + "416417502504505203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401"
      + " Unauthorized403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
      + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMTchunked,"
      + "text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,"
      + "publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";

  private SpdyDictionary() {}

  static byte[] bytes() {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String w : WORDS) {
      int n = w.length();
      b.write(n >>> 24);
      b.write(n >>> 16);
      b.write(n >>> 8);
      b.write(n);
      b.writeBytes(w.getBytes(StandardCharsets.ISO_8859_1));
    }
    b.writeBytes(VALUES.getBytes(StandardCharsets.ISO_8859_1));
    return b.toByteArray();
  }
}
