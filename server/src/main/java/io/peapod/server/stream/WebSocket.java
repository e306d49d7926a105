package io.peapod.server.stream;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/// RFC 6455 on an upgraded connection, server side: the handshake answer and whole messages in and out.
/// Client frames must be masked; control frames are answered here (ping with pong, close with close);
/// a message larger than [#MAX_MESSAGE] ends the connection (close code 1009).
final class WebSocket {
  static final int MAX_MESSAGE = 1 << 20;
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private final InputStream in;
  private final OutputStream out;
  private boolean closeSent;

  /// One message from the client: binary or text payload.
  record Message(boolean text, byte[] payload) {}

  WebSocket(InputStream in, OutputStream out) {
    this.in = in;
    this.out = out;
  }

  /// The 101 answer for `key` (the client's Sec-WebSocket-Key), naming `protocol` when one was chosen.
  static String handshake(String key, String protocol) {
    String accept;
    try {
      accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
          .digest((key.trim() + GUID).getBytes(StandardCharsets.ISO_8859_1)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + accept + "\r\n"
        + (protocol.isEmpty() ? "" : "Sec-WebSocket-Protocol: " + protocol + "\r\n") + "\r\n";
  }

  /// The next data message, or null once the client closed (its close frame is answered).
  Message read() throws IOException {
    java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
    int messageOpcode = -1;
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = readByte();
      boolean fin = (b0 & 0x80) != 0;
      int opcode = b0 & 0x0F;
      if ((b1 & 0x80) == 0) {
        close(1002, "client frames must be masked");
        throw new IOException("unmasked client frame");
      }
      long len = b1 & 0x7F;
      if (len == 126) {
        len = (readByte() << 8) | readByte();
      } else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) {
          len = (len << 8) | readByte();
        }
      }
      if (len < 0 || len + message.size() > MAX_MESSAGE) {
        close(1009, "message too big");
        throw new IOException("message over " + MAX_MESSAGE + " bytes");
      }
      byte[] mask = in.readNBytes(4);
      byte[] payload = in.readNBytes((int) len);
      if (mask.length < 4 || payload.length < len) {
        throw new EOFException("connection closed inside a frame");
      }
      for (int i = 0; i < payload.length; i++) {
        payload[i] ^= mask[i & 3];
      }
      switch (opcode) {
        case 0x8 -> {
          close(1000, "");
          return null;
        }
        case 0x9 -> frame(0xA, payload);
        case 0xA -> { }
        case 0x0, 0x1, 0x2 -> {
          if (opcode != 0) {
            messageOpcode = opcode;
          }
          message.write(payload);
          if (fin) {
            return new Message(messageOpcode == 0x1, message.toByteArray());
          }
        }
        default -> {
          close(1002, "unknown opcode " + opcode);
          throw new IOException("unknown websocket opcode " + opcode);
        }
      }
    }
  }

  void sendBinary(byte[] payload) throws IOException {
    frame(0x2, payload);
  }

  void sendText(String text) throws IOException {
    frame(0x1, text.getBytes(StandardCharsets.UTF_8));
  }

  /// Sends a close frame once; later calls do nothing.
  void close(int code, String reason) throws IOException {
    synchronized (out) {
      if (closeSent) {
        return;
      }
      closeSent = true;
    }
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] p = new byte[2 + r.length];
    p[0] = (byte) (code >> 8);
    p[1] = (byte) code;
    System.arraycopy(r, 0, p, 2, r.length);
    frame(0x8, p);
  }

  private void frame(int opcode, byte[] payload) throws IOException {
    synchronized (out) {
      if (closeSent && opcode != 0x8) {
        return;
      }
      out.write(0x80 | opcode);
      int n = payload.length;
      if (n < 126) {
        out.write(n);
      } else if (n < 65536) {
        out.write(126);
        out.write(n >> 8);
        out.write(n);
      } else {
        out.write(127);
        for (int i = 7; i >= 0; i--) {
          out.write((int) ((long) n >> (8 * i)));
        }
      }
      out.write(payload);
      out.flush();
    }
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("connection closed inside a frame header");
    }
    return b;
  }
}
