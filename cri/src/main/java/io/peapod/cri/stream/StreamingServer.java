package io.peapod.cri.stream;

import java.net.URI;

/// The server a CRI caller is sent to for a stream (the daemon's, on loopback). Each registered
/// request gets its own URL carrying a single-use token; the request expires if nobody comes for it.
public interface StreamingServer {
  URI register(StreamRequest request);
}
