package io.peapod.runtime.sandbox;

import io.peapod.base.error.FailedPreconditionException;
import io.peapod.base.error.InternalException;
import io.peapod.runtime.monitor.RuntimeSelector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/// The built-in sandbox rootfs: Debian's static `catatonit` and the empty mount points runc needs,
/// made once under `<state>/pause/rootfs` and mounted read-only by every pause container.
/// `catatonit -P` only holds namespaces: it exits 0 on SIGINT/SIGTERM and reaps zombies as PID 1.
final class PauseRootfs {
  static final List<String> ARGS = List.of("/catatonit", "-P");
  private final Path dir;

  PauseRootfs(Path dir) {
    this.dir = dir;
  }

  synchronized Path ensure() {
    Path rootfs = dir.resolve("rootfs");
    Path binary = rootfs.resolve("catatonit");
    if (Files.isExecutable(binary)) {
      return rootfs;
    }
    Path catatonit = RuntimeSelector.find("catatonit").orElseThrow(() -> new FailedPreconditionException(
        "catatonit is not installed; the pause container needs it (apt-get install catatonit)"));
    try {
      for (String d : List.of("proc", "dev", "sys", "etc", "tmp")) {
        Files.createDirectories(rootfs.resolve(d));
      }
      Path tmp = rootfs.resolve(".catatonit.tmp");
      Files.copy(catatonit, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, binary, StandardCopyOption.ATOMIC_MOVE);
      return rootfs;
    } catch (IOException e) {
      throw new InternalException("make pause rootfs in " + rootfs, e);
    }
  }
}
