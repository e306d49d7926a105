package io.peapod.server.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebSocketTest {
  /// A client frame: FIN, opcode, masked with `mask`.
  private static byte[] frame(int opcode, boolean fin, byte[] payload) {
    byte[] mask = {1, 2, 3, 4};
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write((fin ? 0x80 : 0) | opcode);
    b.write(0x80 | payload.length);
    b.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      b.write(payload[i] ^ mask[i & 3]);
    }
    return b.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      b.writeBytes(p);
    }
    return b.toByteArray();
  }

  @Test
  void handshake_answersTheRfcExample() {
    assertTrue(WebSocket.handshake("dGhlIHNhbXBsZSBub25jZQ==", "v4.channel.k8s.io")
        .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: v4.channel.k8s.io"));
  }

  @Test
  void read_joinsFragments_answersPings_andEndsAtClose() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    WebSocket ws = new WebSocket(new ByteArrayInputStream(concat(frame(2, false, new byte[] {0, 'a'}),
        frame(9, true, new byte[] {'p'}), frame(0, true, new byte[] {'b'}),
        frame(8, true, new byte[] {3, (byte) 232}))),
        out);
    assertArrayEquals(new byte[] {0, 'a', 'b'}, ws.read().payload());
    assertNull(ws.read(), "the close frame ends the stream");
    byte[] sent = out.toByteArray();
    assertEquals(List.of(0x8A, 1, (int) 'p', 0x88), List.of(sent[0] & 0xFF, (int) sent[1], (int) sent[2],
        sent[3] & 0xFF), "a pong with the ping's payload, then our close");
  }

  @Test
  void read_refusesUnmaskedFrames() {
    byte[] unmasked = {(byte) 0x82, 1, 0};
    assertThrows(IOException.class, () -> new WebSocket(new ByteArrayInputStream(unmasked),
        new ByteArrayOutputStream()).read());
  }

  @Test
  void read_refusesMessagesOverTheLimit() {
    byte[] big = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 0x7F, 0, 0, 0, 1, 2, 3, 4};
    assertThrows(IOException.class, () -> new WebSocket(new ByteArrayInputStream(big), new ByteArrayOutputStream())
        .read());
  }
}
