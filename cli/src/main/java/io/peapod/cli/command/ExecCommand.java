package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;

/// `exec POD [-c C] [-i] -- CMD...`: runs a command in a container; exits with the command's code.
public final class ExecCommand implements CliCommand {
  @Override
  public String name() {
    return "exec";
  }

  @Override
  public String usage() {
    return "peapod exec POD [-c CONTAINER] [-i] -- CMD [ARGS...]";
  }

  @Override
  public String summary() {
    return "Run a command in a container of a pod";
  }

  @Override
  public List<Flag> flags() {
    return List.of(LogsCommand.CONTAINER, Flag.bool("Pass standard input to the command.", "-i", "--stdin"),
        Flag.bool("Run the command on a terminal (-it for an interactive shell).", "-t", "--tty"), Context.NAMESPACE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) throws IOException {
    String pod = a.positional(0, "the pod's name");
    List<String> command = a.positionals().subList(1, a.positionals().size());
    boolean stdin = a.has("stdin");
    Streams io = ctx.io();
    if (command.isEmpty()) {
      throw new InvalidArgumentException("exec needs a command: peapod exec " + pod + " -- CMD [ARGS...]");
    }
    boolean tty = a.has("tty");
    Optional<int[]> terminal = tty ? Optional.of(LocalTerminal.size()) : Optional.empty();
    Map<String, Object> body = ExecStream.body(a.value("container", ""), command, stdin, terminal);
    try (LocalTerminal local = tty && stdin ? LocalTerminal.raw() : null) {
      int code = ExecStream.run(ctx, pod, body, stdin ? Optional.of(io.in()) : Optional.empty(), io.out(), io.err());
      if (code < 0) {
        io.err().println("error: the daemon closed the exec stream before the command's exit code");
        return 1;
      }
      return code;
    }
  }
}
