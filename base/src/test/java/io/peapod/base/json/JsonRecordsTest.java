package io.peapod.base.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonRecordsTest {
  record Inner(String name, int count) {}

  enum Color { RED, BLUE }

  record Outer(String id, Optional<Instant> at, List<Inner> inner, @KeepEmpty List<String> kept, Map<String, String> tags,
      Optional<String> note, boolean flag, long big, Color color, JsonNode free) {}

  @Test
  void roundTrip_omitsWhatIsEmpty_andReadsMissingKeysAsEmpty() {
    Outer o = new Outer("x", Optional.of(Instant.parse("2026-12-04T05:00:00Z")), List.of(new Inner("a", 2)), List.of(),
        Map.of(), Optional.empty(), true, 1L << 40, Color.BLUE, Json.parseNode("{\"k\":[1,2]}"));
    String json = JsonRecords.write(o);
    assertEquals("{\"id\":\"x\",\"at\":\"2026-12-04T05:00:00Z\",\"inner\":[{\"name\":\"a\",\"count\":2}],\"kept\":[],"
        + "\"flag\":true,\"big\":1099511627776,\"color\":\"BLUE\",\"free\":{\"k\":[1,2]}}", json);
    assertEquals(o, JsonRecords.read(json, Outer.class));
    Outer empty = JsonRecords.read("{\"id\":\"y\",\"color\":\"RED\",\"unknown\":1}", Outer.class);
    assertEquals(new Outer("y", Optional.empty(), List.of(), List.of(), Map.of(), Optional.empty(), false, 0, Color.RED,
        JsonNode.MISSING), empty);
  }

  @Test
  void instants_readAsJavaTimeReadsThem() {
    for (String t : new String[] {"2026-12-04T05:44:13Z", "2026-12-04T05:44:13.1Z", "2026-12-04T05:44:13.123456789Z",
        "1999-02-28T23:59:59.000001Z", "2026-12-04T05:44:13+01:00", "2026-01-02T03:04:05.Z"}) {
      assertEquals(Instant.parse(t), Instants.parse(t), t);
    }
    for (String bad : new String[] {"2026-13-04T05:44:13Z", "2026-01-02T-1:00:00Z", "2026-01-02T03:04:05.-5Z",
        "2026-01-02T03:0\u0664:05Z"}) {
      assertThrows(java.time.format.DateTimeParseException.class, () -> Instants.parse(bad), bad);
    }
  }

  @Test
  void aBadTime_isRefusedNamingTheField() {
    var e = assertThrows(InvalidArgumentException.class, () -> JsonRecords.read("{\"at\":\"soon\",\"color\":\"RED\"}",
        Outer.class));
    assertEquals("Outer.at: 'soon' is not an ISO-8601 time", e.getMessage());
  }
}
