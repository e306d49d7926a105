package io.peapod.base.api;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/// Exec's upgraded connection carries frames: one byte stream id, four bytes big-endian length, the
/// payload. A zero-length STDIN frame means end of input; the EXIT frame's payload is the exit code
/// in decimal and ends the session.
public final class StreamFrames {
  public static final int STDIN = 0;
  public static final int STDOUT = 1;
  public static final int STDERR = 2;
  public static final int EXIT = 3;

  /// One frame read off the wire.
  public record Frame(int stream, byte[] payload) {}

  private StreamFrames() {}

  /// Writes one frame; callers writing from several threads must hold the stream's lock.
  public static void write(OutputStream out, int stream, byte[] payload, int length) throws IOException {
    out.write(new byte[] {(byte) stream, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
        (byte) length});
    out.write(payload, 0, length);
    out.flush();
  }

  /// Reads one frame, or empty at a clean end of stream.
  public static Optional<Frame> read(DataInputStream in) throws IOException {
    int stream = in.read();
    if (stream < 0) {
      return Optional.empty();
    }
    int length;
    try {
      length = in.readInt();
    } catch (EOFException e) {
      return Optional.empty();
    }
    if (length < 0 || length > 16 * 1024 * 1024) {
      throw new IOException("bad frame length " + length);
    }
    byte[] payload = in.readNBytes(length);
    return Optional.of(new Frame(stream, payload));
  }
}
