package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import java.math.BigDecimal;
import java.util.Map;

/// Kubernetes resource quantities: `500m` cpu, `64Mi`/`1G`/`129e6` memory.
public final class Quantities {
  private static final Map<String, BigDecimal> SUFFIXES = Map.ofEntries(
      Map.entry("Ki", BigDecimal.valueOf(1L << 10)), Map.entry("Mi", BigDecimal.valueOf(1L << 20)),
      Map.entry("Gi", BigDecimal.valueOf(1L << 30)), Map.entry("Ti", BigDecimal.valueOf(1L << 40)),
      Map.entry("Pi", BigDecimal.valueOf(1L << 50)), Map.entry("Ei", BigDecimal.valueOf(1L << 60)),
      Map.entry("n", new BigDecimal("0.000000001")), Map.entry("u", new BigDecimal("0.000001")),
      Map.entry("m", new BigDecimal("0.001")), Map.entry("k", BigDecimal.valueOf(1000L)),
      Map.entry("M", BigDecimal.valueOf(1000_000L)), Map.entry("G", BigDecimal.valueOf(1000_000_000L)),
      Map.entry("T", BigDecimal.valueOf(1000_000_000_000L)), Map.entry("P", BigDecimal.valueOf(1000_000_000_000_000L)),
      Map.entry("E", BigDecimal.valueOf(1000_000_000_000_000_000L)));

  private Quantities() {}

  public static BigDecimal parse(String q, String where) {
    String s = q.trim();
    try {
      for (String suffix : new String[] {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T", "P", "E"}) {
        if (s.endsWith(suffix) && s.length() > suffix.length()) {
          return new BigDecimal(s.substring(0, s.length() - suffix.length())).multiply(SUFFIXES.get(suffix));
        }
      }
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      throw new InvalidArgumentException(where + ": quantity '" + q + "' is not valid (examples: 500m, 1, 64Mi, 1G)");
    }
  }

  public static long cpuMilli(String q, String where) {
    return parse(q, where).multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  public static long bytes(String q, String where) {
    return parse(q, where).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }
}
