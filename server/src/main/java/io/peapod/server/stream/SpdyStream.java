package io.peapod.server.stream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/// One stream of a [SpdyConnection]: the headers the client opened it with, what it sends (an
/// InputStream that ends at the client's FIN or a reset), and output sent as DATA frames.
final class SpdyStream {
  /// Bytes buffered from the client before the connection's reader waits for this stream's consumer.
  static final int MAX_BUFFERED = 4 << 20;
  private static final byte[] END = new byte[0];
  private final SpdyConnection connection;
  private final int id;
  private final Map<String, String> headers;
  private final LinkedBlockingQueue<byte[]> received = new LinkedBlockingQueue<>(MAX_BUFFERED / 4096);
  /// How long the connection's reader waits for room in this stream's buffer before resetting it.
  private static final long FULL_WAIT_SECONDS = 30;
  private static final int CANCEL = 5;
  private volatile boolean outputClosed;
  private volatile boolean inputEnded;
  private volatile boolean discarding;

  SpdyStream(SpdyConnection connection, int id, Map<String, String> headers) {
    this.connection = connection;
    this.id = id;
    this.headers = Map.copyOf(headers);
  }

  String header(String name) {
    return headers.getOrDefault(name, "");
  }

  /// Buffers what the client sent; a stream nobody reads (see [#discardInput]) drops it, and one whose
  /// reader stalls for [#FULL_WAIT_SECONDS] is reset, so the connection's reader never waits longer.
  void received(byte[] data) throws IOException {
    try {
      for (int at = 0; at < data.length && !discarding; at += 4096) {
        if (!received.offer(java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + 4096)),
            FULL_WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
          discardInput();
          connection.reset(id, CANCEL);
          outputClosed = true;
          endInput();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("SPDY reader interrupted");
    }
  }

  /// Nobody reads this stream's input (an exec's output streams, a port-forward whose dial failed, a
  /// consumer that stopped): what arrives is dropped.
  void discardInput() {
    discarding = true;
    received.clear();
  }

  /// The client's FIN (or the connection's end): readers see end of input once the buffer is drained.
  void endInput() {
    inputEnded = true;
    received.offer(END);
    if (outputClosed) {
      connection.forget(id);
    }
  }

  void reset() {
    outputClosed = true;
    endInput();
  }

  /// What the client sends on this stream, until its FIN.
  InputStream input() {
    return new InputStream() {
      private byte[] chunk = new byte[0];
      private int at;
      private boolean ended;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (!ended && at == chunk.length) {
          byte[] next;
          try {
            next = received.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("stream read interrupted");
          }
          if (next == END || (next == null && inputEnded && received.isEmpty())) {
            ended = true;
          } else if (next != null) {
            chunk = next;
            at = 0;
          }
        }
        if (ended) {
          return -1;
        }
        int n = Math.min(len, chunk.length - at);
        System.arraycopy(chunk, at, b, off, n);
        at += n;
        return n;
      }
    };
  }

  void write(byte[] data, int length) throws IOException {
    if (outputClosed) {
      throw new IOException("stream " + id + " was reset by the client");
    }
    if (length > 0) {
      connection.send(id, data, length, false);
    }
  }

  /// Ends this side of the stream (FIN); later calls do nothing.
  synchronized void closeOutput() throws IOException {
    if (!outputClosed) {
      outputClosed = true;
      connection.send(id, new byte[0], 0, true);
    }
    if (inputEnded) {
      connection.forget(id);
    }
  }
}
