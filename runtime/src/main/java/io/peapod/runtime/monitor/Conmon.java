package io.peapod.runtime.monitor;

import io.peapod.base.error.InternalException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.sys.SpawnedProcess;
import io.peapod.sys.Syscalls;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/// Starts conmon for one container. conmon double-forks (so it outlives the daemon), runs the OCI
/// runtime's `create`, and reports the container's pid, or the failure, on the sync pipe
/// (descriptor 3, named by `_OCI_SYNCPIPE`). After that the container is CREATED; conmon writes
/// `<exitDir>/<id>` holding the exit code when it ends, and `<bundle>/monitor.pid` holds its own pid.
public final class Conmon {
  private static final int SYNC_FD = 3;
  /// conmon's control FIFO message that makes it reopen its log file.
  private static final String REOPEN_LOGS = "2 0 0\n";
  /// conmon's control FIFO message that resizes the container's terminal: `1 <rows> <columns>`.
  private static final int RESIZE = 1;
  private final Path conmon;
  private final OciRuntime runtime;
  private final Syscalls sys;

  public Conmon(Path conmon, OciRuntime runtime, Syscalls sys) {
    this.conmon = conmon;
    this.runtime = runtime;
    this.sys = sys;
  }

  /// Runs create under conmon. A failure of conmon itself (not of the container) is thrown.
  public Created create(ConmonRequest r) {
    Path runtimeLog = r.bundle().resolve("runtime.log");
    List<String> argv = new ArrayList<>(List.of(conmon.toString(), "--api-version", "1",
        "-c", r.containerId(), "-u", r.shortId(), "-n", r.name(),
        "-r", runtime.binary().path().toString(), "-b", r.bundle().toString(),
        "-p", r.bundle().resolve("pidfile").toString(), "-P", MonitorPid.file(r.bundle()).toString(),
        "--exit-dir", r.exitDir().toString(), "--socket-dir-path", r.socketDir().toString(),
        "-l", "k8s-file:" + r.logFile(), "--log-level", "error"));
    if (r.stdio().stdin()) {
      argv.add("--stdin");
      if (!r.stdio().stdinOnce()) {
        // Without it conmon closes the container's input when an attached client leaves (stdinOnce).
        argv.add("--leave-stdin-open");
      }
    }
    if (r.stdio().tty()) {
      argv.add("--terminal");
    }
    if (r.logSizeMax() > 0) {
      argv.addAll(List.of("--log-size-max", String.valueOf(r.logSizeMax())));
    }
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
            + " its output: " + (RuntimeLog.text(r.bundle().resolve("conmon.log")) + " " + RuntimeLog.text(runtimeLog)).trim(),
            null);
      }
      JsonNode msg = Json.parseNode(line);
      long pid = msg.get("data").asLong(-1);
      if (pid <= 0) {
        String why = RuntimeLog.errors(runtimeLog);
        return new Created.Refused((msg.get("message").text("") + " " + why).trim());
      }
      return Created.Running.created((int) pid);
    } catch (IOException e) {
      throw new InternalException("read conmon sync pipe for " + r.containerId(), e);
    }
  }

  /// Asks conmon to reopen the log file (after it was moved away), through its control FIFO. The FIFO is
  /// opened read-write, which never blocks on Linux, so a dead conmon cannot hang the caller.
  public void reopenLog(Path bundle) {
    control(bundle, REOPEN_LOGS);
  }

  /// Resizes the terminal of a container made with one; conmon takes sizes up to 1000.
  public void resizeTerminal(Path bundle, int rows, int columns) {
    control(bundle, RESIZE + " " + Math.clamp(rows, 0, 1000) + " " + Math.clamp(columns, 0, 1000) + "\n");
  }

  /// The attach socket conmon made for a container: `<socketDir>/<shortId>` is its link to the bundle.
  public static Path attachSocket(Path socketDir, String shortId) {
    return socketDir.resolve(shortId).resolve("attach");
  }

  private static void control(Path bundle, String message) {
    Path ctl = bundle.resolve("ctl");
    if (!Files.exists(ctl)) {
      throw new InternalException("conmon control FIFO " + ctl + " is missing", null);
    }
    try (RandomAccessFile fifo = new RandomAccessFile(ctl.toFile(), "rw")) {
      fifo.write(message.getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new InternalException("write conmon control FIFO " + ctl + ": " + e.getMessage(), e);
    }
  }
}
