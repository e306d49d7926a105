package io.peapod.cli.command;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.error.PeapodException;
import io.peapod.base.api.v1.ApplyAnswer;
import io.peapod.cli.args.Flag;
import io.peapod.cli.args.ParsedArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/// `apply -f FILE|DIR|- [-n NS] [--dry-run=client|server] [--wait [--timeout 5m]]`: creates or updates
/// the objects of a manifest (pods, secrets, and the workloads whose controllers make pods). A directory
/// applies each of its `.yaml`, `.yml` and `.json` files in name order. The daemon records them and
/// returns; with `--wait` this waits until each pod named in the files is Ready, or says why it will not be.
public final class ApplyCommand implements CliCommand {
  static final Flag FILE = Flag.value("The YAML file, a directory of them, or - for standard input.", "-f",
      "--filename");
  static final Flag DRY_RUN = Flag.value("client (only check the files) or server (also check against what"
      + " exists); nothing is changed.", "--dry-run");
  static final Flag TIMEOUT = Flag.value("How long --wait waits (default 5m).", "--timeout");

  @Override
  public String name() {
    return "apply";
  }

  @Override
  public String usage() {
    return "peapod apply -f FILE|DIR|- [-n NS] [--dry-run=client|server] [--wait] [--timeout 5m]";
  }

  @Override
  public String summary() {
    return "Create or update the objects of a manifest (Pod, Secret, Job, Deployment, ReplicaSet, DaemonSet,"
        + " StatefulSet)";
  }

  @Override
  public List<Flag> flags() {
    return List.of(FILE, Context.NAMESPACE, DRY_RUN, Flag.bool("Wait until the pods are Ready (or fail).", "--wait"),
        TIMEOUT);
  }

  @Override
  public int run(ParsedArgs a, Context ctx) {
    String file = a.value("filename").orElseThrow(() -> new InvalidArgumentException("apply needs -f FILE"));
    String dryRun = a.value("dry-run", "none");
    if (!List.of("none", "client", "server").contains(dryRun)) {
      throw new InvalidArgumentException("--dry-run '" + dryRun + "' must be none, client or server");
    }
    List<PodWaiter.Target> pods = new java.util.ArrayList<>();
    for (String f : files(file)) {
      Map<String, String> q = new java.util.LinkedHashMap<>(Map.of("source", f, "dryRun", dryRun));
      ctx.explicitNamespace().ifPresent(ns -> q.put("namespace", ns));
      ApplyAnswer r = ctx.client().json("POST", "/v1/apply", q, read(f, ctx.io()), ApplyAnswer.class);
      r.warnings().forEach(ctx.io().err()::println);
      r.results().forEach(ctx.io().out()::println);
      r.objects().stream().filter(o -> o.kind().equals("Pod"))
          .map(o -> new PodWaiter.Target(o.namespace(), o.name())).forEach(pods::add);
    }
    if (!a.has("wait") || !dryRun.equals("none")) {
      return 0;
    }
    Optional<PeapodException> failed = PodWaiter.await(ctx.client(), pods, "Ready", a.value("timeout", "5m"), ctx.io());
    return failed.map(e -> e.code().exitCode()).orElse(0);
  }

  /// The files `-f` names: the file (or `-`), or a directory's manifests in name order.
  static List<String> files(String arg) {
    Path p = Path.of(arg);
    if (arg.equals("-") || !Files.isDirectory(p)) {
      return List.of(arg);
    }
    try (var list = Files.list(p)) {
      List<String> files = list.filter(f -> f.toString().matches(".*\\.(ya?ml|json)$") && Files.isRegularFile(f))
          .map(Path::toString).sorted().toList();
      if (files.isEmpty()) {
        throw new InvalidArgumentException("no .yaml, .yml or .json files in " + arg);
      }
      return files;
    } catch (IOException e) {
      throw new InvalidArgumentException("cannot read directory " + arg + ": " + e.getMessage());
    }
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
