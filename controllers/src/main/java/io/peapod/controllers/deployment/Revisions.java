package io.peapod.controllers.deployment;

import io.peapod.controllers.object.ObjectMaps;
import io.peapod.controllers.object.Workload;
import io.peapod.controllers.pods.PodNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/// A Deployment's ReplicaSets as revisions: the `pod-template-hash` of a template, the revision number a
/// ReplicaSet carries, and whether a ReplicaSet runs a given template.
public final class Revisions {
  public static final String HASH_LABEL = "pod-template-hash";
  public static final String REVISION = "deployment.kubernetes.io/revision";

  private Revisions() {}

  /// FNV-1a (32 bit) of the template's canonical JSON, spelled in the name alphabet, as the label's values look.
  public static String hash(Map<String, Object> template) {
    int h = 0x811c9dc5;
    for (byte b : ObjectMaps.canonical(template).getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return PodNames.safeEncode(Integer.toUnsignedString(h));
  }

  public static long revision(Workload rs) {
    try {
      return Long.parseLong(rs.annotations().getOrDefault(REVISION, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /// The ReplicaSet's template without the hash label the Deployment added.
  public static Map<String, Object> template(Workload rs) {
    Map<String, Object> t = ObjectMaps.map(rs.object(), "spec", "template");
    return ObjectMaps.with(t, null, "metadata", "labels", HASH_LABEL);
  }

  /// Whether the ReplicaSet runs `template` (compared as canonical JSON).
  public static boolean runs(Workload rs, Map<String, Object> template) {
    return ObjectMaps.canonical(withoutEmptyLabels(template(rs))).equals(ObjectMaps.canonical(
        withoutEmptyLabels(template)));
  }

  private static Map<String, Object> withoutEmptyLabels(Map<String, Object> t) {
    if (ObjectMaps.map(t, "metadata", "labels").isEmpty()) {
      t = ObjectMaps.with(t, null, "metadata", "labels");
    }
    return ObjectMaps.map(t, "metadata").isEmpty() ? ObjectMaps.with(t, null, "metadata") : t;
  }
}
