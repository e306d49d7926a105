package io.peapod.cli.command;

import io.peapod.base.api.v1.Version;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;
import java.util.Map;

/// `version`: the daemon's version, its OCI runtime and why, and the host's cgroup layout.
public final class VersionCommand implements CliCommand {
  @Override
  public String name() {
    return "version";
  }

  @Override
  public String usage() {
    return "peapod version";
  }

  @Override
  public String summary() {
    return "Print the daemon's version, OCI runtime and cgroup layout";
  }

  @Override
  public List<Flag> flags() {
    return List.of();
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    Version v = ctx.client().get("/v1/version", Map.of(), Version.class);
    ctx.io().out().println("peapod " + v.version() + ", OCI runtime " + v.ociRuntime() + " (" + v.ociRuntimeReason()
        + "), cgroups " + v.cgroups());
    return 0;
  }
}
