package io.peapod.cli.command;

import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.util.List;

/// One verb of the CLI: its name, usage line, flags, and what it does with them.
public interface CliCommand {
  String name();

  /// `peapod get pods [NAME] [-o wide|yaml|json]`
  String usage();

  String summary();

  List<Flag> flags();

  int run(ParsedArgs args, Context ctx) throws Exception;
}
