package io.peapod.runtime.oci;

import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/// What the daemon may grant a container on this host: rlimits no higher than its own hard limits
/// (raising them needs CAP_SYS_RESOURCE) and an oom_score_adj no lower than its own unless it holds
/// CAP_SYS_RESOURCE. Without the clamp runc fails with only "can't get final child's PID from pipe: EOF".
///
/// `capabilities` is the daemon's bounding set (`CAP_*` names): what a privileged container gets, and
/// the most any container can hold.
public record HostLimits(long nofileHard, long nprocHard, int minOomScoreAdj, List<String> capabilities) {
  public HostLimits {
    capabilities = List.copyOf(capabilities);
  }

  private static final long DEFAULT_NOFILE = 1048576;
  private static final long DEFAULT_NPROC = 1048576;
  private static final int CAP_SYS_RESOURCE = 24;

  public static HostLimits detect(ProcFs proc) {
    long nofile = proc.hardLimit("self", "Max open files").orElse(DEFAULT_NOFILE);
    long nproc = proc.hardLimit("self", "Max processes").orElse(DEFAULT_NPROC);
    Path status = proc.root().resolve("self/status");
    int minOom = (capabilitySet(status, "CapEff:") & (1L << CAP_SYS_RESOURCE)) != 0 ? -1000 : proc.oomScoreAdj("self");
    long bounding = capabilitySet(status, "CapBnd:");
    List<String> caps = new ArrayList<>();
    for (int i = 0; i < OciSpecs.CAPABILITIES.size(); i++) {
      if ((bounding & (1L << i)) != 0) {
        caps.add(OciSpecs.CAPABILITIES.get(i));
      }
    }
    return new HostLimits(nofile, nproc, minOom, caps);
  }

  /// A capability mask line of /proc/PID/status (`CapEff:`, `CapBnd:`); 0 when unreadable.
  static long capabilitySet(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          return Long.parseUnsignedLong(line.substring(field.length()).trim(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
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
