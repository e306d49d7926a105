package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `apply -f FILE [--wait [--timeout 5m]]`: creates the pods of a manifest (Pod; Job and Deployment pod
/// templates) and the secrets. The daemon accepts them and returns; with `--wait` this waits until each
/// pod is Ready, or says why it will not be.
public final class ApplyCommand implements CliCommand {
  static final Flag FILE = Flag.value("The YAML file, or - for standard input.", "-f", "--filename");
  static final Flag TIMEOUT = Flag.value("How long --wait waits (default 5m).", "--timeout");

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public String usage() {
    return "peapod apply -f FILE [--wait] [--timeout 5m]";
  }

  @Override
  public String summary() {
    return "Create the pods of a manifest (Pod; Job and Deployment pod templates)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(FILE, Flag.bool("Wait until the pods are Ready (or fail).", "--wait"), TIMEOUT);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String file = a.value("filename").orElseThrow(() -> new InvalidArgumentException("apply needs -f FILE"));
    JsonNode r = ctx.client().json("POST", "/v1/apply", Map.of("source", file), read(file, ctx.io()));
    r.get("warnings").strings().forEach(ctx.io().err()::println);
    r.get("results").strings().forEach(ctx.io().out()::println);
    if (!a.has("wait")) {
      return 0;
    }
    List<PodWaiter.Target> pods = r.get("objects").list().stream()
        .filter(o -> o.get("kind").text("").equals("Pod"))
        .map(o -> new PodWaiter.Target(o.get("namespace").text(""), o.get("name").text(""))).toList();
    Optional<PeapodException> failed = PodWaiter.await(ctx.client(), pods, "Ready", a.value("timeout", "5m"), ctx.io());
    return failed.map(e -> e.code().exitCode()).orElse(0);
  }

  /// Reads a manifest argument: a path, or `-` for standard input.
  static byte[] read(String file, Streams io) {
    try {
      return file.equals("-") ? io.in().readAllBytes() : Files.readAllBytes(Path.of(file));
    } catch (IOException e) {
      throw new InvalidArgumentException("cannot read " + file + ": " + e.getMessage());
    }
  }
}
