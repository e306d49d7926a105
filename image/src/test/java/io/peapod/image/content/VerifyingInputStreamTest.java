package io.peapod.image.content;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.ref.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class VerifyingInputStreamTest {
  private static final byte[] BLOB = "the blob's bytes, as the manifest describes them".getBytes();

  private static Digest digest(byte[] b) throws Exception {
    return Digest.ofBytes(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static InputStream verifying(byte[] served) throws Exception {
    return new VerifyingInputStream(new ByteArrayInputStream(served), digest(BLOB), BLOB.length);
  }

  @Test
  void read_exactBlob_reachesItsEnd() throws Exception {
    try (InputStream in = verifying(BLOB)) {
      assertArrayEquals(BLOB, in.readAllBytes());
      assertEquals(-1, in.read(), "the end stays the end");
    }
  }

  @Test
  void read_fewerBytes_isNotTheBlob() throws Exception {
    var e = assertThrows(InvalidArgumentException.class, () -> verifying(Arrays.copyOf(BLOB, 10)).readAllBytes());
    assertTrue(e.getMessage().contains("10 bytes where its descriptor declares " + BLOB.length), e.getMessage());
  }

  @Test
  void read_otherBytes_isAMismatch_atTheEnd() throws Exception {
    byte[] tampered = BLOB.clone();
    tampered[3] ^= 1;
    InputStream in = verifying(tampered);
    assertEquals(BLOB.length, in.readNBytes(BLOB.length).length, "the bytes pass until the end is reached");
    var e = assertThrows(InvalidArgumentException.class, in::read);
    assertTrue(e.getMessage().contains("digest mismatch"), e.getMessage());
  }

  @Test
  void read_moreBytesThanDeclared_isRefusedAtOnce() throws Exception {
    byte[] longer = Arrays.copyOf(BLOB, BLOB.length + 1);
    var e = assertThrows(InvalidArgumentException.class, () -> verifying(longer).readAllBytes());
    assertTrue(e.getMessage().contains("more than the " + BLOB.length + " bytes"), e.getMessage());
  }

  @Test
  void skip_hashesWhatItSkips() throws Exception {
    byte[] tampered = BLOB.clone();
    tampered[1] ^= 1;
    InputStream in = verifying(tampered);
    assertEquals(5, in.skip(5));
    assertThrows(InvalidArgumentException.class, in::readAllBytes);
  }

  @Test
  void reset_isRefused() throws Exception {
    InputStream in = verifying(BLOB);
    in.mark(100);
    assertThrows(IOException.class, in::reset);
  }
}
