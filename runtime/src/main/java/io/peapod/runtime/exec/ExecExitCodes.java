package io.peapod.runtime.exec;

/// The exit code a shell gives a command it could not run, for what the OCI runtime reports as its own
/// failure (runc exits 255 and says why on stderr and in its log): 127 for a command not found, 126 for
/// one that cannot be executed, as kubectl users expect from `exec`.
final class ExecExitCodes {
  private ExecExitCodes() {}

  /// The exit code for `runtimeExit`, judged by the runtime's log file, which is then removed.
  static int of(int runtimeExit, java.nio.file.Path runtimeLog) {
    try {
      String log = java.nio.file.Files.exists(runtimeLog) ? java.nio.file.Files.readString(runtimeLog) : "";
      java.nio.file.Files.deleteIfExists(runtimeLog);
      // Only the runtime's errors say why it could not start the command; warnings are noise.
      return of(runtimeExit, String.join("\n", log.lines().filter(l -> l.contains("\"level\":\"error\"")).toList()));
    } catch (java.io.IOException e) {
      return runtimeExit;
    }
  }

  static int of(int runtimeExit, String runtimeError) {
    if (runtimeExit != 255) {
      return runtimeExit;
    }
    String e = runtimeError.toLowerCase(java.util.Locale.ROOT);
    if (e.contains("executable file not found") || e.contains("no such file or directory")) {
      return 127;
    }
    if (e.contains("permission denied") || e.contains("exec format error")) {
      return 126;
    }
    return runtimeExit;
  }
}
