package io.peapod.server.stream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/// The head of an upgrade request to the streaming server: method, path, the query's `port` values and
/// the headers (lowercased names). Upgrade requests have no body; the head is capped at [#MAX_HEAD].
/// (The API server's reader is for request bodies on a unix socket; this one also keeps repeated query
/// parameters, which port-forward needs.)
record UpgradeRequest(String method, String path, List<Integer> ports, Map<String, String> headers) {
  static final int MAX_HEAD = 16 * 1024;

  /// The head, or empty when it is malformed, too long, or not complete by `deadlineNanos` (System.nanoTime).
  static Optional<UpgradeRequest> read(InputStream in, long deadlineNanos) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int total = 0;
    int b;
    while ((b = in.read()) >= 0 && ++total <= MAX_HEAD && System.nanoTime() < deadlineNanos) {
      if (b == '\n') {
        String l = line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
        if (l.isEmpty()) {
          return parse(lines);
        }
        lines.add(l);
        line.reset();
      } else {
        line.write(b);
      }
    }
    return Optional.empty();
  }

  private static Optional<UpgradeRequest> parse(List<String> lines) {
    String[] first = lines.isEmpty() ? new String[0] : lines.getFirst().split(" ");
    if (first.length != 3 || !first[1].startsWith("/")) {
      return Optional.empty();
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h : lines.subList(1, lines.size())) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(),
            (a, c) -> a + ", " + c);
      }
    }
    String target = first[1];
    int q = target.indexOf('?');
    List<Integer> ports = new ArrayList<>();
    if (q >= 0) {
      for (String kv : target.substring(q + 1).split("&")) {
        String[] p = kv.split("=", 2);
        if (p.length == 2 && p[0].equals("port")) {
          for (String port : URLDecoder.decode(p[1], StandardCharsets.UTF_8).split(",")) {
            if (port.matches("[0-9]{1,5}") && Integer.parseInt(port) > 0 && Integer.parseInt(port) < 65536) {
              ports.add(Integer.parseInt(port));
            }
          }
        }
      }
    }
    return Optional.of(new UpgradeRequest(first[0], q >= 0 ? target.substring(0, q) : target, ports, headers));
  }

  String header(String name) {
    return headers.getOrDefault(name, "");
  }

  boolean isWebSocket() {
    return header("upgrade").equalsIgnoreCase("websocket") && !header("sec-websocket-key").isEmpty();
  }

  /// The first of `ours` (in our order of preference) that the client offers in `header`
  /// (`sec-websocket-protocol`, or SPDY's `x-stream-protocol-version`); empty when it offers none.
  String chooseProtocol(String header, List<String> ours) {
    List<String> offered = Arrays.stream(header(header).split(",")).map(String::trim).toList();
    return ours.stream().filter(offered::contains).findFirst().orElse("");
  }
}
