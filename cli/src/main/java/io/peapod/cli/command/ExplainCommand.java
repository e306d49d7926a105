package io.peapod.cli.command;

import io.peapod.base.api.v1.Explanation;
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
    Explanation e = ctx.client().get("/v1/explain", Map.of("field", a.positional(0, "what to explain (pod.spec)")),
        Explanation.class);
    var out = ctx.io().out();
    out.println("KIND:     " + e.kind());
    out.println("VERSION:  v1");
    if (!e.path().isEmpty()) {
      out.println("\nFIELD:    " + e.path() + " <" + e.type() + ">");
    }
    List<Explanation.Field> fields = e.fields();
    if (!fields.isEmpty()) {
      out.println("\nFIELDS:");
      int width = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
      for (Explanation.Field f : fields) {
        out.println("  " + f.name() + " ".repeat(width - f.name().length() + 2) + "<" + f.type() + ">"
            + (f.actedOn() ? "" : "   accepted, not acted on by peapod (warned about)"));
      }
    }
    return 0;
  }
}
