package io.peapod.runtime.oci;

import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/// What the daemon may grant a container on this host: rlimits no higher than its own hard limits
/// (raising them needs CAP_SYS_RESOURCE) and an oom_score_adj no lower than its own unless it holds
/// CAP_SYS_RESOURCE. Without the clamp runc fails with only "can't get final child's PID from pipe: EOF".
public record HostLimits(long nofileHard, long nprocHard, int minOomScoreAdj) {
  private static final long DEFAULT_NOFILE = 1048576;
  private static final long DEFAULT_NPROC = 1048576;
  private static final int CAP_SYS_RESOURCE = 24;

  public static HostLimits detect(ProcFs proc) {
    long nofile = proc.hardLimit("self", "Max open files").orElse(DEFAULT_NOFILE);
    long nproc = proc.hardLimit("self", "Max processes").orElse(DEFAULT_NPROC);
    int minOom = hasCapability(proc.root().resolve("self/status"), CAP_SYS_RESOURCE) ? -1000 : proc.oomScoreAdj("self");
    return new HostLimits(nofile, nproc, minOom);
  }

  static boolean hasCapability(Path status, int cap) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("CapEff:")) {
          long eff = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          return (eff & (1L << cap)) != 0;
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  /// The rlimit peapod gives containers (podman's 1048576, like containerd's), clamped to the host.
  public long nofile() {
    return Math.min(DEFAULT_NOFILE, nofileHard);
  }

  public long nproc() {
    return Math.min(DEFAULT_NPROC, nprocHard);
  }

  public int clampOomScoreAdj(int wanted) {
    return Math.max(wanted, minOomScoreAdj);
  }

  public boolean clampsNofile() {
    return nofileHard < DEFAULT_NOFILE;
  }
}
