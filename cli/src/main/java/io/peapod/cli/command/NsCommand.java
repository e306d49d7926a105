package io.peapod.cli.command;

import io.peapod.base.json.JsonNode;
import io.peapod.cli.output.Table;
import java.util.Map;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.PrintStream;
import java.util.List;

/// `ns POD`: every namespace of the pod's processes as the kernel reports them (`/proc/<pid>/ns/*`),
/// and who holds each: pause (shared by the pod), the container itself, or the host.
public final class NsCommand implements CliCommand {
  @Override
  public String name() {
    return "ns";
  }

  @Override
  public String usage() {
    return "peapod ns POD [-n NS]";
  }

  @Override
  public String summary() {
    return "Show which namespaces a pod shares and which it isolates";
  }

  @Override
  public List<Flag> flags() {
    return List.of(Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String pod = a.positional(0, "the pod's name");
    PrintStream out = ctx.io().out();
    JsonNode r = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + pod + "/namespaces", Map.of());
    Table t = new Table("CONTAINER", "PID", "TYPE", "INODE", "HELD BY");
    for (JsonNode row : r.get("rows").list()) {
      String holder = row.get("holder").text("");
      String process = row.get("process").text("");
      String shown = holder.equals("host") ? "host" : holder.equals(process) ? holder + " (own)" : holder + " (shared)";
      t.row(process, row.get("pid").asLong(0), row.get("type").text(""), row.get("inode").asLong(0), shown);
    }
    t.print(out);
    String pin = r.get("netnsPin").text("");
    out.println();
    out.println("net namespace pin: " + (pin.isEmpty() ? "none (host network)" : pin));
    return 0;
  }
}
