package io.peapod.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTest {
  @Test
  void write_nestedMapsAndLists_quotesOnlyWhenNeeded() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", "Pod");
    m.put("items", List.of(Map.of("name", "a"), "plain"));
    m.put("flag", "true");
    m.put("n", 3L);
    m.put("empty", List.of());
    assertEquals("kind: Pod\nitems:\n- name: a\n- plain\nflag: \"true\"\nn: 3\nempty: []\n", Yaml.write(m));
  }

  @Test
  void ages_likeKubectl() {
    Instant now = Instant.parse("2026-01-01T01:00:00Z");
    assertEquals("5s", Ages.since("2026-01-01T00:59:55Z", now));
    assertEquals("3m12s", Ages.since("2026-01-01T00:56:48Z", now));
    assertEquals("60m", Ages.since("2026-01-01T00:00:00Z", now));
    assertEquals("3d", Ages.since("2025-12-29T01:00:00Z", now));
  }
}
