package io.peapod.server;

import io.peapod.base.error.InternalException;
import java.io.IOException;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/// Who may read the daemon's files. The state root holds image layers (with whatever setuid files they
/// carry), container root filesystems and the database with Secrets, so it is root's alone (0700); the run
/// root may be passed through (0711) to reach an API socket a group was given, and its directories are
/// 0700 again; the log root is kubelet's (0755). The database and its WAL files are 0600. Checked at every
/// start, so an install made by an older version is fixed, and each fix is logged.
final class FileModes {
  private static final Logger LOG = System.getLogger(FileModes.class.getName());

  private FileModes() {}

  static void enforce(Path stateRoot, Path runRoot, Path logRoot) {
    set(stateRoot, 0700);
    set(runRoot, 0711);
    set(logRoot, 0755);
    for (String db : List.of("peapod.db", "peapod.db-wal", "peapod.db-shm")) {
      Path p = stateRoot.resolve(db);
      if (Files.exists(p)) {
        set(p, 0600);
      }
    }
  }

  private static void set(Path p, int mode) {
    try {
      Files.createDirectories(p.getParent());
      boolean made = !Files.exists(p);
      if (made) {
        Files.createDirectories(p);
      }
      int was = (Integer) Files.getAttribute(p, "unix:mode") & 07777;
      if (was != mode) {
        Files.setAttribute(p, "unix:mode", mode);
        if (!made) {
          LOG.log(Logger.Level.INFO, "fixed the mode of {0}: {1} -> {2}", p, Integer.toOctalString(was),
              Integer.toOctalString(mode));
        }
      }
    } catch (IOException e) {
      throw new InternalException("set the mode of " + p + ": " + e.getMessage(), e);
    }
  }
}
