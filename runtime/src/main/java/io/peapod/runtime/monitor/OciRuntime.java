package io.peapod.runtime.monitor;

import io.peapod.base.error.InternalException;
import io.peapod.base.error.NotFoundException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/// The runc-compatible command line (runc, crun): start, kill, delete, state, and exec's argv.
/// conmon runs `create`; this class does the rest of the lifecycle.
public final class OciRuntime {
  private final OciRuntimeBinary binary;
  private final Path stateRoot;

  public OciRuntime(OciRuntimeBinary binary, Path stateRoot) {
    this.binary = binary;
    this.stateRoot = stateRoot;
  }

  public OciRuntimeBinary binary() {
    return binary;
  }

  /// Global flags conmon passes through `--runtime-arg`.
  public List<String> globalArgs() {
    return List.of("--root=" + stateRoot);
  }

  /// What the runtime reports of a container: `status` is `creating`, `created`, `running`, `paused`
  /// or `stopped`.
  public record State(String id, String status, int pid, String bundle) {}

  public void start(String id) {
    run(List.of("start", id));
  }

  /// Whether the runtime has state for `id`: runc and crun keep a directory per container under their
  /// root. Asked before a kill or delete, so what is already gone costs no process start (most of the
  /// price of a call), which adds up when many pods go at once.
  public boolean knows(String id) {
    return Files.isDirectory(stateRoot.resolve(id));
  }

  /// Sends a signal to the container's init (and, with `all`, to every process in it).
  public void kill(String id, String signal, boolean all) {
    if (!knows(id)) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("kill"));
    if (all) {
      args.add("--all");
    }
    args.add(id);
    args.add(signal);
    try {
      run(args);
    } catch (NotFoundException e) {
      // Already gone: the goal of a kill.
    } catch (InternalException e) {
      if (!e.getMessage().contains("not running") && !e.getMessage().contains("process already finished")) {
        throw e;
      }
    }
  }

  public void delete(String id) {
    if (!knows(id)) {
      return;
    }
    try {
      run(List.of("delete", "--force", id));
    } catch (NotFoundException e) {
      // Deleting what is not there is done.
    }
  }

  public Optional<State> state(String id) {
    if (!knows(id)) {
      return Optional.empty();
    }
    try {
      return Optional.of(state(Json.parseNode(run(List.of("state", id)))));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /// Every container the runtime knows under peapod's root, whatever the database says.
  public List<State> list() {
    String out = run(List.of("list", "--format", "json")).trim();
    // runc prints `null` when it has no containers.
    return out.isEmpty() ? List.of() : Json.parseNode(out).list().stream().map(OciRuntime::state).toList();
  }

  private static State state(JsonNode n) {
    return new State(n.get("id").text(""), n.get("status").text(""), (int) n.get("pid").asLong(0),
        n.get("bundle").text(""));
  }

  /// The argv of `exec` for a command in a running container. With `tty` the runtime must itself run on
  /// a terminal: it makes the container's terminal and copies between the two. `pidFile` receives the
  /// host pid of the command, so a command that overstays its timeout can be killed.
  ///
  /// The runtime's `exec` does not apply the spec's umask to the new process, which would then inherit
  /// the daemon's 077; a shell sets the usual 022 first, as the container's own process has.
  /// The runtime's own log goes to `log` (JSON), so that what it says on stderr when it cannot start
  /// the command is one plain line, and its reason can be read to give the shell's exit code.
  public List<String> execArgv(String id, List<String> command, boolean tty, Optional<Path> pidFile, Path log) {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "umask 022 && exec \"$0\" \"$@\"",
        binary.path().toString()));
    argv.addAll(globalArgs());
    argv.add("--log=" + log);
    argv.add("--log-format=json");
    argv.add("exec");
    if (tty) {
      argv.add("--tty");
    }
    pidFile.ifPresent(p -> argv.add("--pid-file=" + p));
    argv.add(id);
    argv.addAll(command);
    return argv;
  }

  private String run(List<String> args) {
    List<String> argv = new ArrayList<>(List.of(binary.path().toString()));
    argv.addAll(globalArgs());
    argv.addAll(args);
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        String msg = binary.name() + " " + String.join(" ", args) + " failed (exit " + rc + "): " + out.trim();
        if (out.contains("does not exist") || out.contains("not found")) {
          throw new NotFoundException(msg);
        }
        throw new InternalException(msg, null);
      }
      return out;
    } catch (IOException e) {
      throw new InternalException("run " + binary.path() + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InternalException("interrupted running " + binary.name(), e);
    }
  }
}
