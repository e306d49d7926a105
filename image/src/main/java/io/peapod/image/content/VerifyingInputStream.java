package io.peapod.image.content;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.ref.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/// Reads a blob whose digest and size are known (from a verified manifest) and hashes it on the way.
/// Its end is reported only if the bytes match: a reader that reaches `-1` has read exactly the blob.
/// Otherwise it throws [InvalidArgumentException] (other bytes, fewer or more of them, are not the
/// blob), so whatever the reader made of the bytes must not be kept. Whether a short stream was a cut
/// connection is for the transport under it to say, before this stream sees the end.
public final class VerifyingInputStream extends FilterInputStream {
  private final Digest expected;
  private final long size;
  private final MessageDigest sha = sha256();
  private long count;
  private boolean verified;

  /// @param size the descriptor's size, or -1 when unknown (then only the digest is checked)
  public VerifyingInputStream(InputStream in, Digest expected, long size) {
    super(in);
    this.expected = expected;
    this.size = size;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    int n = in.read(b, off, len);
    if (n < 0) {
      verify();
      return -1;
    }
    sha.update(b, off, n);
    count += n;
    if (size >= 0 && count > size) {
      throw new InvalidArgumentException("blob " + expected + ": more than the " + size + " bytes its descriptor"
          + " declares; the blob was not stored");
    }
    return n;
  }

  /// Skipped bytes are read, so that they are hashed too.
  @Override
  public long skip(long n) throws IOException {
    byte[] buf = new byte[(int) Math.min(Math.max(n, 0), 1 << 16)];
    long done = 0;
    while (done < n) {
      int r = read(buf, 0, (int) Math.min(buf.length, n - done));
      if (r < 0) {
        break;
      }
      done += r;
    }
    return done;
  }

  @Override
  public boolean markSupported() {
    return false;
  }

  @Override
  public synchronized void mark(int limit) {
    // Not supported: a reset would hash bytes twice.
  }

  @Override
  public synchronized void reset() throws IOException {
    throw new IOException("mark/reset not supported while verifying a blob");
  }

  private void verify() {
    if (verified) {
      return;
    }
    if (size >= 0 && count < size) {
      throw new InvalidArgumentException("blob " + expected + ": " + count + " bytes where its descriptor declares "
          + size + "; the blob was not stored");
    }
    Digest actual = Digest.ofBytes(sha.digest());
    if (!actual.equals(expected)) {
      throw new InvalidArgumentException("digest mismatch: expected " + expected + " (" + size + " bytes) but the"
          + " content is " + actual + " (" + count + " bytes); the blob was not stored");
    }
    verified = true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new InternalException("sha256 unavailable", e);
    }
  }
}
