package io.peapod.server.stream;

import io.peapod.cri.stream.StreamRequest;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/// Single-use tokens for stream requests, as containerd's streaming server hands them out: 256 random
/// bits in the URL, taken back at first use, and expired after [#TTL] if nobody comes. The URL is the
/// only credential, so it is never logged.
final class StreamTokens {
  static final Duration TTL = Duration.ofMinutes(1);
  /// Outstanding requests at most; more means a caller asks and never connects.
  static final int MAX_PENDING = 1000;
  private final SecureRandom random = new SecureRandom();
  private final InstantSource clock;
  private final Map<String, Pending> pending = new LinkedHashMap<>();

  private record Pending(StreamRequest request, Instant expires) {}

  StreamTokens(InstantSource clock) {
    this.clock = clock;
  }

  synchronized String issue(StreamRequest request) {
    expire();
    if (pending.size() >= MAX_PENDING) {
      throw new io.peapod.base.error.ResourceExhaustedException("too many stream requests are waiting for their"
          + " callers (" + MAX_PENDING + "); connect to the URLs returned or wait " + TTL.toSeconds() + "s", null);
    }
    byte[] b = new byte[32];
    random.nextBytes(b);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    pending.put(token, new Pending(request, clock.instant().plus(TTL)));
    return token;
  }

  /// The request the token was issued for, once; empty for an unknown, used or expired token.
  synchronized Optional<StreamRequest> take(String token) {
    expire();
    Pending p = pending.remove(token);
    return Optional.ofNullable(p).map(Pending::request);
  }

  private void expire() {
    Instant now = clock.instant();
    pending.values().removeIf(p -> !p.expires().isAfter(now));
  }
}
