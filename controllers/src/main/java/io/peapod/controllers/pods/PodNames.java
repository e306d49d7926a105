package io.peapod.controllers.pods;

import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/// Names for generated pods, as `metadata.generateName` makes them: the base, then five characters
/// from an alphabet without vowels (no words) or look-alike characters. Callers retry on collision.
public final class PodNames {
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  /// The longest base that still leaves room for the suffix in a 63-character name.
  private static final int MAX_BASE = 58;
  private final RandomGenerator random;

  public PodNames() {
    this(new SecureRandom());
  }

  public PodNames(RandomGenerator random) {
    this.random = random;
  }

  /// `base` (with its trailing `-`) cut to fit, then five random characters.
  public String generate(String base) {
    String b = base.length() > MAX_BASE ? base.substring(0, MAX_BASE) : base;
    StringBuilder sb = new StringBuilder(b);
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /// The same alphabet applied to the digits of a hash, as `pod-template-hash` values are spelled.
  public static String safeEncode(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(ALPHABET.charAt(c % ALPHABET.length()));
    }
    return sb.toString();
  }
}
