package io.peapod.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import org.junit.jupiter.api.Test;

class GoTemplateTest {
  private static final Object PODS = Json.parse("""
      {"items": [
        {"metadata": {"name": "web", "labels": {"app": "web"}}, "status": {"podIP": "10.0.0.2", "restarts": 2,
          "containerStatuses": [{"name": "a"}, {"name": "b"}]}},
        {"metadata": {"name": "db"}, "status": {"podIP": "", "restarts": 0, "containerStatuses": [{"name": "c"}]}}]}
      """);

  private static String run(String template) {
    return GoTemplate.parse(template).apply(PODS);
  }

  @Test
  void fieldsRangeAndStrings_asKubectlUsersScriptThem() {
    assertEquals("web 10.0.0.2\ndb \n",
        run("{{range .items}}{{.metadata.name}} {{.status.podIP}}{{\"\\n\"}}{{end}}"));
    assertEquals("web:a,b,\ndb:c,\n", run("{{range .items}}{{.metadata.name}}:{{range .status.containerStatuses}}"
        + "{{.name}},{{end}}{{\"\\n\"}}{{end}}"));
  }

  @Test
  void ifElse_index_len_trimMarkers_andMissingKeys() {
    assertEquals("web restarted\ndb fine\n", run("{{range .items -}}\n  {{.metadata.name}} {{if .status.restarts}}"
        + "restarted{{else}}fine{{end}}\n{{end}}"));
    assertEquals("web|<no value>|", run("{{range .items}}{{index .metadata.labels \"app\"}}|{{end}}"));
    assertEquals("2 a", run("{{len .items}} {{index .items 0 \"status\" \"containerStatuses\" 0 \"name\"}}"));
    assertEquals("none", GoTemplate.parse("{{range .items}}x{{else}}none{{end}}").apply(Json.parse("{\"items\":[]}")));
    assertEquals("<no value>", run("{{.nothing.here}}"));
    assertEquals("webdb", run("{{range.items}}{{.metadata.name}}{{end}}"), "Go's own spelling, without a space");
  }

  @Test
  void whatIsNotSupported_isRefusedByName() {
    for (String t : new String[] {"{{.items | len}}", "{{$x := .items}}", "{{printf \"%s\" .a}}", "{{range .items}}",
        "{{end}}", "{{.a", "{{if .a}}A{{else if .b}}B{{end}}", "{{if .a}}A{{end .a}}"}) {
      var e = assertThrows(InvalidArgumentException.class, () -> GoTemplate.parse(t), t);
      assertTrue(e.getMessage().startsWith("go-template"), e.getMessage());
    }
  }
}
