package io.peapod.server.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/// The server side of SPDY/3.1 as Kubernetes' streaming uses it (kubelet, crictl and kubectl speak it
/// through moby/spdystream): the client opens streams with SYN_STREAM and a `streamtype` header, data
/// flows in DATA frames, FIN ends a direction. Header blocks share one zlib context per direction with
/// [SpdyDictionary]. Received data is acknowledged with WINDOW_UPDATE at once; an inbound stream buffers
/// at most [SpdyStream#MAX_BUFFERED] bytes before the reader waits, which holds the client back by TCP.
final class SpdyConnection implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SpdyConnection.class.getName());
  static final int MAX_FRAME = 1 << 20;
  /// Streams open at once on one connection: a remote command needs five, a port-forward two per
  /// forwarded connection; more are refused with RST_STREAM (REFUSED_STREAM).
  static final int MAX_STREAMS = 64;
  /// A decompressed header block's size at most (zlib can inflate a small frame a thousandfold).
  static final int MAX_HEADER_BLOCK = 16 * 1024;
  private static final int REFUSED_STREAM = 3;
  private static final int HEADERS = 8;
  private static final int SYN_STREAM = 1;
  private static final int SYN_REPLY = 2;
  private static final int RST_STREAM = 3;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int WINDOW_UPDATE = 9;
  private static final int FLAG_FIN = 1;
  private final DataInputStream in;
  private final OutputStream out;
  private final Inflater inflater = new Inflater();
  private final Deflater deflater = new Deflater();
  private final byte[] dictionary = SpdyDictionary.bytes();
  private final Map<Integer, SpdyStream> streams = new ConcurrentHashMap<>();

  SpdyConnection(InputStream in, OutputStream out) {
    this.in = new DataInputStream(in);
    this.out = out;
    deflater.setDictionary(dictionary);
  }

  /// Reads frames until the client closes the connection or sends GOAWAY; every stream the client
  /// opens is answered with SYN_REPLY and handed to `opened`.
  void serve(Consumer<SpdyStream> opened) throws IOException {
    try {
      while (true) {
        int first;
        try {
          first = in.readInt();
        } catch (EOFException closed) {
          return;
        }
        int flagsAndLength = in.readInt();
        int flags = flagsAndLength >>> 24;
        int length = flagsAndLength & 0xFFFFFF;
        if (length > MAX_FRAME) {
          throw new IOException("SPDY frame of " + length + " bytes is over the " + MAX_FRAME + " limit");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          return;
        }
        if (first < 0) {
          if (!control(first & 0xFFFF, flags, body, opened)) {
            return;
          }
        } else {
          data(first, flags, body);
        }
      }
    } finally {
      streams.values().forEach(SpdyStream::endInput);
    }
  }

  private boolean control(int type, int flags, byte[] body, Consumer<SpdyStream> opened) throws IOException {
    switch (type) {
      case SYN_STREAM -> {
        if (body.length < 10) {
          throw new IOException("SPDY SYN_STREAM of " + body.length + " bytes is too short");
        }
        int id = int32(body, 0) & 0x7FFFFFFF;
        Map<String, String> headers = headers(body, 10, body.length - 10);
        if (streams.size() >= MAX_STREAMS) {
          reset(id, REFUSED_STREAM);
          return true;
        }
        SpdyStream s = new SpdyStream(this, id, headers);
        streams.put(id, s);
        reply(id);
        if ((flags & FLAG_FIN) != 0) {
          s.endInput();
        }
        opened.accept(s);
      }
      case RST_STREAM -> {
        SpdyStream s = streams.remove(int32(body, 0) & 0x7FFFFFFF);
        if (s != null) {
          s.reset();
        }
      }
      case PING -> control(PING, 0, body);
      case GOAWAY -> {
        return false;
      }
      case HEADERS -> {
        // Its block belongs to the connection's one zlib stream: inflated, so later blocks still decode.
        if (body.length >= 4) {
          headers(body, 4, body.length - 4);
        }
      }
      default -> {
        // SETTINGS, HEADERS and WINDOW_UPDATE need no answer: peapod sends within the client's default window
        // as spdystream does not enforce one.
      }
    }
    return true;
  }

  private void data(int streamId, int flags, byte[] body) throws IOException {
    SpdyStream s = streams.get(streamId);
    if (s == null) {
      return;
    }
    if (body.length > 0) {
      s.received(body);
      windowUpdate(streamId, body.length);
      windowUpdate(0, body.length);
    }
    if ((flags & FLAG_FIN) != 0) {
      s.endInput();
    }
  }

  private Map<String, String> headers(byte[] block, int offset, int length) throws IOException {
    inflater.setInput(block, offset, length);
    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      while (true) {
        int n = inflater.inflate(buf);
        if (n == 0) {
          if (inflater.needsDictionary()) {
            inflater.setDictionary(dictionary);
            continue;
          }
          if (inflater.needsInput() || inflater.finished()) {
            break;
          }
        }
        plain.write(buf, 0, n);
        if (plain.size() > MAX_HEADER_BLOCK) {
          throw new IOException("SPDY header block over " + MAX_HEADER_BLOCK + " bytes");
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("SPDY header block is not valid zlib: " + e.getMessage(), e);
    }
    byte[] p = plain.toByteArray();
    Map<String, String> headers = new LinkedHashMap<>();
    int pairs = int32(p, 0);
    int at = 4;
    for (int i = 0; i < pairs; i++) {
      int nameLength = length(p, at);
      String name = new String(p, at + 4, nameLength, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
      at += 4 + nameLength;
      int valueLength = length(p, at);
      headers.put(name, new String(p, at + 4, valueLength, StandardCharsets.UTF_8).replace('\0', ','));
      at += 4 + valueLength;
    }
    return headers;
  }

  /// A name's or value's length in a header block, checked against what is left of the block.
  private static int length(byte[] block, int at) throws IOException {
    int n = int32(block, at);
    if (n < 0 || at + 4 + n > block.length) {
      throw new IOException("SPDY header block holds a length of " + n + " past its end");
    }
    return n;
  }

  private void reply(int streamId) throws IOException {
    byte[] block;
    synchronized (out) {
      byte[] noHeaders = {0, 0, 0, 0};
      deflater.setInput(noHeaders);
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      byte[] buf = new byte[256];
      int n;
      while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
        b.write(buf, 0, n);
      }
      block = b.toByteArray();
      byte[] body = new byte[4 + block.length];
      put32(body, 0, streamId);
      System.arraycopy(block, 0, body, 4, block.length);
      control(SYN_REPLY, 0, body);
    }
  }

  private void windowUpdate(int streamId, int delta) throws IOException {
    byte[] body = new byte[8];
    put32(body, 0, streamId);
    put32(body, 4, delta);
    control(WINDOW_UPDATE, 0, body);
  }

  /// A stream both sides have ended no longer counts against [#MAX_STREAMS].
  void forget(int streamId) {
    streams.remove(streamId);
  }

  void reset(int streamId, int status) throws IOException {
    byte[] body = new byte[8];
    put32(body, 0, streamId);
    put32(body, 4, status);
    control(RST_STREAM, 0, body);
  }

  private void control(int type, int flags, byte[] body) throws IOException {
    synchronized (out) {
      byte[] head = new byte[8];
      put32(head, 0, 0x80030000 | type);
      put32(head, 4, (flags << 24) | body.length);
      out.write(head);
      out.write(body);
      out.flush();
    }
  }

  /// Sends `data` on a stream, in frames of at most 64 KiB; `fin` ends the stream's output.
  void send(int streamId, byte[] data, int length, boolean fin) throws IOException {
    synchronized (out) {
      int at = 0;
      do {
        int n = Math.min(65536, length - at);
        byte[] head = new byte[8];
        put32(head, 0, streamId);
        put32(head, 4, ((fin && at + n == length ? FLAG_FIN : 0) << 24) | n);
        out.write(head);
        out.write(data, at, n);
        at += n;
      } while (at < length);
      out.flush();
    }
  }

  static int int32(byte[] b, int at) throws IOException {
    if (at + 4 > b.length) {
      throw new IOException("SPDY frame ends early");
    }
    return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
  }

  private static void put32(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  @Override
  public void close() {
    inflater.end();
    synchronized (out) {
      deflater.end();
    }
    LOG.log(Logger.Level.DEBUG, "SPDY connection closed with {0} streams", streams.size());
  }
}
