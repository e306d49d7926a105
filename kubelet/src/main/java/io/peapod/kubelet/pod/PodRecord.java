package io.peapod.kubelet.pod;

import java.time.Instant;
import java.util.Optional;

/// The kubelet's record of one pod: identity, the validated spec (`manifest`, compared on re-apply),
/// the YAML document it came from (read again after a restart), its grace period, whether and when
/// its deletion was asked for (with what grace, and whether forced), where it came from (`api`, or the manifest file
/// of a static pod), and its [StoredStatus].
public record PodRecord(String uid, String namespace, String name, String manifest, String document, Instant created,
    long graceSeconds, Optional<Instant> deletion, long deletionGraceSeconds, boolean forceDeletion, String source,
    StoredStatus status) {
  public static final String API = "api";

  public boolean deleting() {
    return deletion.isPresent();
  }

  public boolean isStatic() {
    return !source.equals(API);
  }
}
