package io.peapod.cli.command;

import io.peapod.base.api.v1.NamespaceReport;
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
    NamespaceReport r = ctx.client().get("/v1/pods/" + ctx.namespace() + "/" + pod + "/namespaces", Map.of(),
        NamespaceReport.class);
    Table t = new Table("CONTAINER", "PID", "TYPE", "INODE", "HELD BY");
    for (NamespaceReport.Row row : r.rows()) {
      String holder = row.holder();
      String shown = holder.equals("host") ? "host" : holder.equals(row.process()) ? holder + " (own)"
          : holder + " (shared)";
      t.row(row.process(), row.pid(), row.type(), row.inode(), shown);
    }
    t.print(out);
    String pin = r.netnsPin();
    out.println();
    out.println("net namespace pin: " + (pin.isEmpty() ? "none (host network)" : pin));
    return 0;
  }
}
