package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.api.v1.MetadataChange;
import io.peapod.base.json.Json;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/// `label pod NAME KEY=VALUE... KEY-...` and `annotate pod NAME ...`, as kubectl changes them: a key
/// that has another value changes only with `--overwrite`; `KEY-` removes it. Pods only.
public final class LabelCommand implements CliCommand {
  private final String verb;
  private final String field;

  private LabelCommand(String verb, String field) {
    this.verb = verb;
    this.field = field;
  }

  public static LabelCommand label() {
    return new LabelCommand("label", "labels");
  }

  public static LabelCommand annotate() {
    return new LabelCommand("annotate", "annotations");
  }

  @Override
  public String name() {
    return verb;
  }

  @Override
  public String usage() {
    return "peapod " + verb + " pod NAME KEY=VALUE... [KEY-...] [--overwrite] [-n NS]  (or pod/NAME)";
  }

  @Override
  public String summary() {
    return verb.equals("label") ? "Add, change or remove labels of a pod" : "Add, change or remove annotations of a pod";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Flag.bool("Change keys that already have a value.", "--overwrite"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    List<String> args = new ArrayList<>(a.positionals());
    if (!args.isEmpty() && args.getFirst().startsWith("pod/")) {
      args.set(0, args.getFirst().substring(4));
      args.addFirst("pod");
    }
    if (args.size() < 3 || !List.of("pod", "pods", "po").contains(args.getFirst())) {
      throw new InvalidArgumentException("usage: " + usage());
    }
    String name = args.get(1);
    Map<String, String> set = new LinkedHashMap<>();
    List<String> remove = new ArrayList<>();
    for (String change : args.subList(2, args.size())) {
      int eq = change.indexOf('=');
      if (eq > 0) {
        set.put(change.substring(0, eq), change.substring(eq + 1));
      } else if (change.endsWith("-") && change.length() > 1) {
        remove.add(change.substring(0, change.length() - 1));
      } else {
        throw new InvalidArgumentException("'" + change + "' is neither KEY=VALUE nor KEY- (to remove KEY)");
      }
    }
    MetadataChange r = ctx.client().json("POST", "/v1/pods/" + ctx.namespace() + "/" + name + "/metadata", Map.of(),
        Json.write(Map.of("field", field, "set", set, "remove", remove, "overwrite", a.has("overwrite")))
            .getBytes(StandardCharsets.UTF_8), MetadataChange.class);
    String done = verb.equals("label") ? "labeled" : "annotated";
    ctx.io().out().println("pod/" + name + (r.changed() ? " " + done : " not " + done));
    return 0;
  }
}
