package io.peapod.base.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void parse_nested_roundTrips() {
    String text = "{\"a\":[1,2.5,\"x\\n\\u0041\"],\"b\":{\"c\":true,\"d\":null},\"e\":-3}";
    Object v = Json.parse(text);
    assertEquals(text.replace("\\u0041", "A"), Json.write(v));
    assertEquals("x\nA", Json.parseNode(text).get("a").list().get(2).text(""));
  }

  @Test
  void node_missingKeys_yieldDefaults() {
    JsonNode n = Json.parseNode("{\"config\":{\"Env\":[\"A=1\"]}}");
    assertEquals(List.of("A=1"), n.get("config").get("Env").strings());
    assertTrue(n.get("nope").get("deeper").isMissing());
    assertEquals(7, n.get("x").asLong(7));
  }

  @Test
  void parse_trailingGarbage_isInvalidArgumentWithOffset() {
    var e = assertThrows(InvalidArgumentException.class, () -> Json.parse("{} x"));
    assertTrue(e.getMessage().contains("offset 3"), e.getMessage());
  }

  @Test
  void pretty_indentsObjects() {
    assertEquals("{\n  \"k\": [\n    1\n  ]\n}\n", Json.pretty(Map.of("k", List.of(1))));
  }
}
