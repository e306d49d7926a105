package io.peapod.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/// Seeded mutations of valid inputs (requests, manifests) for fuzz tests: flipped, inserted, duplicated
/// and deleted bytes, truncation, and tokens that parsers trip on. The same seed gives the same inputs.
public final class Mutations {
  private static final String[] TOKENS = {"\r\n", ":", " ", "%", "?", "&=", "-1", "99999999999999999999",
      "\r\n\r\n", "\u0000", "Content-Length: 5\r\n", "Transfer-Encoding: chunked\r\n", "ffffffff\r\n",
      "0\r\n\r\n", "{", "[", "&a ", "*a", "- ", ": [", "\"", "'", "\t", "---\n", "\\u12", "1e999", "../"};

  private Mutations() {}

  /// One to four random edits of `in`.
  public static byte[] mutate(byte[] in, Random random) {
    byte[] cur = in;
    for (int e = 1 + random.nextInt(4); e > 0; e--) {
      cur = edit(cur, random);
    }
    return cur;
  }

  public static String mutate(String in, Random random) {
    return new String(mutate(in.getBytes(StandardCharsets.UTF_8), random), StandardCharsets.UTF_8);
  }

  private static byte[] edit(byte[] cur, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = cur.length == 0 ? 0 : random.nextInt(cur.length);
    switch (random.nextInt(6)) {
      case 0 -> {
        byte[] b = cur.clone();
        if (b.length > 0) {
          b[at] = (byte) random.nextInt(256);
        }
        return b;
      }
      case 1 -> out.write(cur, 0, at);
      case 2 -> {
        out.write(cur, 0, at);
        for (int k = random.nextInt(16); k > 0; k--) {
          out.write(random.nextInt(256));
        }
        out.write(cur, at, cur.length - at);
      }
      case 3 -> {
        out.write(cur, 0, at);
        out.writeBytes(TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1));
        out.write(cur, at, cur.length - at);
      }
      case 4 -> {
        int len = Math.min(cur.length - at, random.nextInt(32));
        out.write(cur, 0, at + len);
        out.write(cur, at, cur.length - at);
      }
      default -> {
        int len = Math.min(cur.length - at, random.nextInt(16));
        out.write(cur, 0, at);
        out.write(cur, at + len, cur.length - at - len);
      }
    }
    return out.toByteArray();
  }
}
