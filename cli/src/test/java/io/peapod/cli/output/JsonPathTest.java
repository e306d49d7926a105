package io.peapod.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonPathTest {
  private static final Object LIST = Json.parse("""
      {"kind": "List", "items": [
        {"metadata": {"name": "a", "labels": {"app.kubernetes.io/name": "web"}},
         "spec": {"containers": [{"name": "c1", "image": "busybox"}, {"name": "c2", "image": "nginx"}]},
         "status": {"podIP": "10.88.0.2", "restarts": 3}},
        {"metadata": {"name": "b"}, "spec": {"containers": [{"name": "x", "image": "busybox"}]},
         "status": {"podIP": "10.88.0.3", "restarts": 0}}]}
      """);

  @Test
  void paths_wildcards_indexesAndQuotedKeys() {
    assertEquals("a b", JsonPath.parse("{.items[*].metadata.name}").apply(LIST));
    assertEquals("c2", JsonPath.parse("{.items[0].spec.containers[-1].name}").apply(LIST));
    assertEquals("web", JsonPath.parse("{.items[0].metadata.labels['app.kubernetes.io/name']}").apply(LIST));
    assertEquals("3", JsonPath.parse("{.items[0].status.restarts}").apply(LIST));
    assertEquals("c1 c2 x", JsonPath.parse("{..containers[*].name}").apply(LIST));
    assertEquals("", JsonPath.parse("{.items[5].metadata.name}").apply(LIST), "no match prints nothing");
    assertEquals("{\"name\":\"x\",\"image\":\"busybox\"}",
        JsonPath.parse("{.items[1].spec.containers[0]}").apply(LIST));
  }

  @Test
  void rangeAndLiterals_asScriptsUseThem() {
    assertEquals("a\t10.88.0.2\nb\t10.88.0.3\n", JsonPath.parse(
        "{range .items[*]}{.metadata.name}{'\\t'}{.status.podIP}{\"\\n\"}{end}").apply(LIST));
    assertEquals("pods: a b.", JsonPath.parse("pods: {.items[*].metadata.name}.").apply(LIST));
  }

  @Test
  void columnsTakeABarePath_andBadTemplatesAreRefused() {
    assertEquals(List.of("a", "b"), JsonPath.parse(".items[*].metadata.name").values(LIST));
    for (String bad : List.of("{.items[", "{range .items[*]}{.x}", "{end}", "{items}", "{.items[?(@.x)]}")) {
      var e = assertThrows(InvalidArgumentException.class, () -> JsonPath.parse(bad), bad);
      assertTrue(e.getMessage().contains("jsonpath"), e.getMessage());
    }
  }
}
