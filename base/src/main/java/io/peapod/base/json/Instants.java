package io.peapod.base.json;

import java.time.Instant;

/// Reading the instants [JsonRecords] meets: the daemon's own form fast, anything else by java.time.
final class Instants {
  private Instants() {}

  /// `2026-01-02T03:04:05.123456789Z`, the form the daemon writes, read directly (java.time's parser
  /// costs a cold reader a few milliseconds); any other ISO-8601 instant through [Instant#parse].
  static Instant parse(String t) {
    int n = t.length();
    if (n >= 20 && n <= 30 && t.charAt(4) == '-' && t.charAt(7) == '-' && t.charAt(10) == 'T' && t.charAt(13) == ':'
        && t.charAt(16) == ':' && t.charAt(n - 1) == 'Z' && (n == 20 || (n > 21 && t.charAt(19) == '.'))
        && digits(t, n)) {
      try {
        long days = java.time.LocalDate.of(Integer.parseInt(t, 0, 4, 10), Integer.parseInt(t, 5, 7, 10),
            Integer.parseInt(t, 8, 10, 10)).toEpochDay();
        int hour = Integer.parseInt(t, 11, 13, 10);
        int minute = Integer.parseInt(t, 14, 16, 10);
        int second = Integer.parseInt(t, 17, 19, 10);
        int nanos = 0;
        if (n > 20) {
          String fraction = t.substring(20, n - 1);
          nanos = Integer.parseInt(fraction) * (int) Math.pow(10, 9 - fraction.length());
        }
        if (hour < 24 && minute < 60 && second < 60 && n - 21 <= 9) {
          return Instant.ofEpochSecond(days * 86400 + hour * 3600L + minute * 60L + second, nanos);
        }
      } catch (NumberFormatException | java.time.DateTimeException e) {
        // Not the daemon's form after all: the full parser says what is wrong with it.
      }
    }
    return Instant.parse(t);
  }

  /// Whether every field of the daemon's form holds ASCII digits only (no sign, no other script's digits).
  private static boolean digits(String t, int n) {
    for (int i = 0; i < n - 1; i++) {
      char c = t.charAt(i);
      boolean separator = i == 4 || i == 7 || i == 10 || i == 13 || i == 16 || i == 19;
      if (!separator && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }
}
