package io.peapod.cli;

import io.peapod.base.error.ErrorCode;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.command.ApplyCommand;
import io.peapod.cli.command.AttachCommand;
import io.peapod.cli.command.DebugCommand;
import io.peapod.cli.command.CliCommand;
import io.peapod.cli.command.Context;
import io.peapod.cli.command.DeleteCommand;
import io.peapod.cli.command.DescribeCommand;
import io.peapod.cli.command.ExecCommand;
import io.peapod.cli.command.GetCommand;
import io.peapod.cli.command.ImageCommand;
import io.peapod.cli.command.LogsCommand;
import io.peapod.cli.command.NsCommand;
import io.peapod.cli.command.RolloutCommand;
import io.peapod.cli.command.ScaleCommand;
import io.peapod.cli.command.Streams;
import io.peapod.cli.command.CompletionCommand;
import io.peapod.cli.command.CpCommand;
import io.peapod.cli.command.ExplainCommand;
import io.peapod.cli.command.LabelCommand;
import io.peapod.cli.command.PortForwardCommand;
import io.peapod.cli.command.RunCommand;
import io.peapod.cli.command.TopCommand;
import io.peapod.cli.command.VersionCommand;
import io.peapod.cli.command.WaitCommand;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/// The `peapod` command: finds the verb, parses its flags, runs it. Errors print one line
/// (`error: ...`) and exit with the error class's code; `--debug` adds the cause chain.
public final class PeapodCli {
  private static final List<CliCommand> COMMANDS = List.of(new ApplyCommand(), new GetCommand(), new DescribeCommand(),
      new LogsCommand(), new ExecCommand(), new DeleteCommand(), new WaitCommand(), new ImageCommand(),
      new NsCommand(), new ScaleCommand(), new RolloutCommand(), new TopCommand(), LabelCommand.label(),
      LabelCommand.annotate(), new PortForwardCommand(), new CompletionCommand(PeapodCli::commands),
      new CpCommand(), new ExplainCommand(), new RunCommand(), new AttachCommand(), new DebugCommand(),
      new VersionCommand());

  static List<CliCommand> commands() {
    return COMMANDS;
  }

  private PeapodCli() {}

  public static void main(String[] args) {
    int code = run(args, new Streams(System.in, System.out, System.err));
    System.out.flush();
    System.err.flush();
    // halt, not System.exit: exit first asks the platform logger whether to log it, and setting up
    // java.util.logging for that costs a cold CLI ~8 ms. No shutdown hook is left by now (`run --rm`
    // removes its own once the pod is deleted).
    Runtime.getRuntime().halt(code);
  }

  /// Runs one command line and returns its exit code.
  public static int run(String[] args, Streams io) {
    int verb = verbIndex(args);
    if (verb < 0 || args[verb].equals("help")) {
      help(io.out());
      return verb < 0 && Arrays.stream(args).noneMatch(a -> a.equals("-h") || a.equals("--help")) ? 2 : 0;
    }
    CliCommand cmd = COMMANDS.stream().filter(c -> c.name().equals(args[verb])).findFirst().orElse(null);
    if (cmd == null) {
      io.err().println("error: unknown command '" + args[verb] + "'; see 'peapod --help'");
      return 2;
    }
    List<Flag> flags = new ArrayList<>(Context.COMMON);
    flags.addAll(cmd.flags());
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    rest.remove(verb);
    ParsedArgs parsed;
    try {
      parsed = ParsedArgs.parse(rest, flags);
    } catch (InvalidArgumentException e) {
      io.err().println("error: " + e.getMessage());
      io.err().println("usage: " + cmd.usage());
      return 2;
    }
    if (parsed.has("help")) {
      commandHelp(cmd, flags, io.out());
      return 0;
    }
    try {
      return cmd.run(parsed, new Context(io, parsed));
    } catch (PeapodException e) {
      io.err().println("error: " + e.getMessage());
      if (e.code() == ErrorCode.INVALID_ARGUMENT && e.getMessage().startsWith("missing ")) {
        io.err().println("usage: " + cmd.usage());
      }
      causes(io.err(), e, parsed.has("debug"));
      return e.code().exitCode();
    } catch (Exception e) {
      io.err().println("error: " + e);
      causes(io.err(), e, true);
      return 1;
    }
  }

  /// The first argument that is not a global flag (or a global flag's value), as kubectl allows
  /// `peapod --socket S get pods`; -1 when there is none.
  private static int verbIndex(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--socket")) {
        i++;
      } else if (!args[i].startsWith("-")) {
        return i;
      }
    }
    return -1;
  }

  private static void causes(PrintStream err, Throwable t, boolean debug) {
    if (debug) {
      for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
        err.println("  caused by: " + c);
      }
    }
  }

  private static void help(PrintStream out) {
    out.println("peapod: run Kubernetes pods on this node.\n\nCommands:");
    for (CliCommand c : COMMANDS) {
      out.println(String.format("  %-10s %s", c.name(), c.summary()));
    }
    out.println(String.format("  %-10s %s", "daemon", "Run the daemon (root): peapod daemon [--state-root DIR ...]"));
    out.println("\nRun 'peapod COMMAND --help' for a command's flags.");
  }

  private static void commandHelp(CliCommand c, List<Flag> flags, PrintStream out) {
    out.println(c.summary() + ".\n\nUsage:\n  " + c.usage() + "\n\nFlags:");
    for (Flag f : flags) {
      out.println(String.format("  %-28s %s", String.join(", ", f.names()) + (f.takesValue() ? " VALUE" : ""), f.help()));
    }
  }
}
