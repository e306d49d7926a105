package io.peapod.image.ref;

import io.peapod.base.error.InvalidArgumentException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/// A content digest, `sha256:<64 hex>` (OCI image spec, "Digests"). Only sha256 is accepted.
public record Digest(String hex) {
  private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

  public Digest {
    if (!HEX.matcher(hex).matches()) {
      throw new InvalidArgumentException("invalid sha256 digest '" + hex + "': want 64 lowercase hex characters");
    }
  }

  public static Digest parse(String s) {
    if (!s.startsWith("sha256:")) {
      throw new InvalidArgumentException("invalid digest '" + s + "': only sha256:<hex> is supported");
    }
    return new Digest(s.substring(7));
  }

  public static Digest ofBytes(byte[] sha256) {
    return new Digest(HexFormat.of().formatHex(sha256));
  }

  public String shortId() {
    return hex.substring(0, 12);
  }

  @Override
  public String toString() {
    return "sha256:" + hex;
  }
}
