package io.peapod.runtime.monitor;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.Syscalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// Starts conmon for one container. conmon double-forks (so it outlives the daemon), runs the OCI
/// runtime's `create`, and reports the container's pid, or the failure, on the sync pipe
/// (descriptor 3, named by `_OCI_SYNCPIPE`). After that the container is CREATED; conmon writes
/// `<exitDir>/<id>` holding the exit code when it ends.
public final class Conmon {
  private static final int SYNC_FD = 3;
  private final Path conmon;
  private final OciRuntime runtime;
  private final Syscalls sys;

  public Conmon(Path conmon, OciRuntime runtime, Syscalls sys) {
    this.conmon = conmon;
    this.runtime = runtime;
    this.sys = sys;
  }

  /// Runs create under conmon and returns the container's host pid.
  public int create(ConmonRequest r) {
    Path runtimeLog = r.bundle().resolve("runtime.log");
    List<String> argv = new ArrayList<>(List.of(conmon.toString(), "--api-version", "1",
        "-c", r.containerId(), "-u", r.shortId(), "-n", r.name(),
        "-r", runtime.binary().path().toString(), "-b", r.bundle().toString(),
        "-p", r.bundle().resolve("pidfile").toString(), "-P", r.bundle().resolve("conmon.pid").toString(),
        "--exit-dir", r.exitDir().toString(), "--socket-dir-path", r.socketDir().toString(),
        "-l", "k8s-file:" + r.logFile(), "--log-level", "error"));
    for (String a : runtime.globalArgs()) {
      argv.add("--runtime-arg");
      argv.add(a);
    }
    argv.addAll(List.of("--runtime-arg", "--log-format=json", "--runtime-arg", "--log=" + runtimeLog));
    Map<String, String> env = Map.of("_OCI_SYNCPIPE", String.valueOf(SYNC_FD),
        "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    SpawnedProcess p = sys.spawn(argv, env, r.bundle().resolve("conmon.log"), List.of(SYNC_FD));
    int parentExit = sys.waitpid(p.pid());
    try (InputStream sync = p.pipes().get(SYNC_FD);
        BufferedReader reader = new BufferedReader(new InputStreamReader(sync, StandardCharsets.UTF_8))) {
      String line = reader.readLine();
      if (line == null) {
        throw new InternalException("conmon for " + r.containerId() + " exited (" + parentExit + ") without reporting;"
            + " its output: " + tail(r.bundle().resolve("conmon.log")) + tail(runtimeLog), null);
      }
      JsonNode msg = Json.parseNode(line);
      long pid = msg.get("data").asLong(-1);
      if (pid <= 0) {
        throw new FailedPreconditionException("create container " + r.name() + " (" + r.containerId() + ") failed: "
            + msg.get("message").text("") + " " + runtimeErrors(runtimeLog));
      }
      return (int) pid;
    } catch (IOException e) {
      throw new InternalException("read conmon sync pipe for " + r.containerId(), e);
    }
  }

  /// The `error`-level messages the OCI runtime logged, which say why create failed.
  private static String runtimeErrors(Path runtimeLog) {
    StringBuilder sb = new StringBuilder();
    try {
      if (Files.exists(runtimeLog)) {
        for (String l : Files.readAllLines(runtimeLog)) {
          JsonNode n = Json.parseNode(l);
          if ("error".equals(n.get("level").text(""))) {
            sb.append(n.get("msg").text("")).append("; ");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return "(runtime log unreadable: " + e.getMessage() + ")";
    }
    return sb.toString().trim();
  }

  private static String tail(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p).trim() + " " : "";
    } catch (IOException e) {
      return "";
    }
  }
}
