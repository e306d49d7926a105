package io.peapod.cli.command;

import io.peapod.base.api.StreamFrames;
import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.cli.client.ApiClient;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("container", a.value("container", ""));
    body.put("command", command);
    body.put("stdin", stdin);
    boolean tty = a.has("tty");
    body.put("tty", tty);
    if (tty) {
      int[] size = LocalTerminal.size();
      body.put("rows", size[0]);
      body.put("columns", size[1]);
    }
    try (LocalTerminal local = tty && stdin ? LocalTerminal.raw() : null;
        ApiClient.Response r = ctx.client().open("POST", "/v1/pods/" + ctx.namespace() + "/" + pod + "/exec", Map.of(),
        Json.write(body).getBytes(StandardCharsets.UTF_8), Map.of("Connection", "Upgrade", "Upgrade", "peapod-exec"))) {
      if (r.status() != 101) {
        ApiClient.check(r.status(), r.body().readAllBytes());
      }
      Thread feeder = stdin ? Thread.ofPlatform().daemon().start(() -> feed(io, r.out())) : null;
      DataInputStream frames = new DataInputStream(r.body());
      while (true) {
        Optional<StreamFrames.Frame> f = StreamFrames.read(frames);
        if (f.isEmpty()) {
          io.err().println("error: the daemon closed the exec stream before the command's exit code");
          return 1;
        }
        switch (f.get().stream()) {
          case StreamFrames.STDOUT -> {
            io.out().write(f.get().payload());
            io.out().flush();
          }
          case StreamFrames.STDERR -> {
            io.err().write(f.get().payload());
            io.err().flush();
          }
          case StreamFrames.EXIT -> {
            if (feeder != null) {
              feeder.interrupt();
            }
            return Integer.parseInt(new String(f.get().payload(), StandardCharsets.US_ASCII).trim());
          }
          default -> { }
        }
      }
    }
  }

  private static void feed(Streams io, OutputStream out) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = io.in().read(buf)) > 0) {
        StreamFrames.write(out, StreamFrames.STDIN, buf, n);
      }
      StreamFrames.write(out, StreamFrames.STDIN, buf, 0);
    } catch (IOException e) {
      // The session ended while input was still coming; nothing is left to deliver it to.
    }
  }
}
