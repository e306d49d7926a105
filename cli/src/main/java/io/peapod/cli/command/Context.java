package io.peapod.cli.command;

import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import io.peapod.cli.client.ApiClient;
import io.peapod.cli.client.Connection;
import java.nio.file.Path;
import java.util.List;

/// What a command runs with: the standard streams and the flags every command shares.
public record Context(Streams io, ParsedArgs args) {
  public static final List<Flag> COMMON = List.of(
      Flag.value("The daemon's API socket (default: $PEAPOD_SOCKET or /run/peapod/peapod.sock).", "--socket"),
      Flag.bool("Print the cause chain of errors.", "--debug"),
      Flag.bool("Show this help.", "-h", "--help"));

  public ApiClient client() {
    String s = args.value("socket").orElseGet(() -> System.getenv().getOrDefault("PEAPOD_SOCKET",
        "/run/peapod/peapod.sock"));
    return new ApiClient(Path.of(s), Connection.Connector.forThisProcess());
  }

  public String namespace() {
    return args.value("namespace", "default");
  }

  static final Flag SELECTOR = Flag.value("Only objects whose labels match (app=web,tier!=db,env in (a,b)).", "-l",
      "--selector");

  /// The namespace only if `-n` was given (apply fills it into objects that name none).
  public java.util.Optional<String> explicitNamespace() {
    return args.value("namespace");
  }

  static final Flag NAMESPACE = Flag.value("The namespace (default: default).", "-n", "--namespace");
}
