package io.peapod.cli.command;

import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;
import java.util.Map;

/// `explain pod.spec.containers`: the fields peapod reads at that place, as `kubectl explain` lists them;
/// fields peapod accepts without acting on them are marked.
public final class ExplainCommand implements CliCommand {
  @Override
  public String name() {
    return "explain";
  }

  @Override
  public String usage() {
    return "peapod explain pod|configmap|secret[.FIELD...]   (like pod.spec.containers.securityContext)";
  }

  @Override
  public String summary() {
    return "List the fields peapod reads in a kind or a field";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    JsonNode e = ctx.client().get("/v1/explain", Map.of("field", a.positional(0, "what to explain (pod.spec)")));
    var out = ctx.io().out();
    out.println("KIND:     " + e.get("kind").text(""));
    out.println("VERSION:  v1");
    String path = e.get("path").text("");
    if (!path.isEmpty()) {
      out.println("\nFIELD:    " + path + " <" + e.get("type").text("") + ">");
    }
    List<JsonNode> fields = e.get("fields").list();
    if (!fields.isEmpty()) {
      out.println("\nFIELDS:");
      int width = fields.stream().mapToInt(f -> f.get("name").text("").length()).max().orElse(0);
      for (JsonNode f : fields) {
        String name = f.get("name").text("");
        out.println("  " + name + " ".repeat(width - name.length() + 2) + "<" + f.get("type").text("") + ">"
            + (f.get("actedOn").asBoolean(true) ? "" : "   accepted, not acted on by peapod (warned about)"));
      }
    }
    return 0;
  }
}
