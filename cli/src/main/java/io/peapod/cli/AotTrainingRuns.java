package io.peapod.cli;

import io.peapod.cli.command.Streams;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/// The training run for one verb's AOT cache (cli/src/build/aot-caches.sh): the CLI runs each command line
/// given after the socket against that socket (`AotTraining --serve` in another JVM), then the first one
/// against no daemon, all in this JVM, so the cache holds that verb's classes and nothing of the training's.
public final class AotTrainingRuns {
  private AotTrainingRuns() {}

  /// `SOCKET LINE...`, each line a command as a user types it, without `--socket`.
  public static void main(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: AotTrainingRuns SOCKET COMMAND-LINE...");
    }
    PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
    Streams io = new Streams(new ByteArrayInputStream(new byte[0]), sink, sink);
    for (int i = 1; i < args.length; i++) {
      PeapodCli.run((args[i] + " --socket=" + args[0]).split(" "), io);
    }
    PeapodCli.run((args[1] + " --socket=" + args[0] + ".absent").split(" "), io);
  }
}
