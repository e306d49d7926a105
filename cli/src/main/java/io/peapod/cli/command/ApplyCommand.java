package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.JsonNode;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/// `apply -f FILE`: creates the pods of a manifest (Pod; Job and Deployment pod templates).
public final class ApplyCommand implements CliCommand {
  static final Flag FILE = Flag.value("The YAML file, or - for standard input.", "-f", "--filename");

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public String usage() {
    return "peapod apply -f FILE";
  }

  @Override
  public String summary() {
    return "Create the pods of a manifest (Pod; Job and Deployment pod templates)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(FILE);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String file = a.value("filename").orElseThrow(() -> new InvalidArgumentException("apply needs -f FILE"));
    JsonNode r = ctx.client().json("POST", "/v1/apply", Map.of("source", file), read(file, ctx.io()));
    r.get("warnings").strings().forEach(ctx.io().err()::println);
    r.get("results").strings().forEach(ctx.io().out()::println);
    return 0;
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
