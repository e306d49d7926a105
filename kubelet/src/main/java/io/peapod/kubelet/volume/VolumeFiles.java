package io.peapod.kubelet.volume;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.kubelet.data.DataStore;
import io.peapod.kubelet.manifest.DataObject;
import io.peapod.kubelet.manifest.PodManifest;
import io.peapod.kubelet.manifest.VolumeSource;
import io.peapod.kubelet.manifest.VolumeSource.DownwardFile;
import io.peapod.kubelet.manifest.VolumeSource.KeyToPath;
import io.peapod.kubelet.podspec.Environment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/// The files a configMap, secret, downwardAPI or projected volume holds, computed from the objects and
/// the pod as they are now: path (relative, checked at apply) to content and mode.
public final class VolumeFiles {
  /// One file of a written volume.
  public record File(byte[] content, int mode) {
    @Override
    public boolean equals(Object o) {
      return o instanceof File f && f.mode == mode && Arrays.equals(f.content, content);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(content) + mode;
    }

    @Override
    public String toString() {
      return "File[" + content.length + " bytes, mode " + Integer.toOctalString(mode) + "]";
    }
  }

  private final DataStore data;
  private final Environment env;

  public VolumeFiles(DataStore data, Environment env) {
    this.data = data;
    this.env = env;
  }

  /// The files of `source`, by path; a missing object or key that is not `optional` is an
  /// [InvalidArgumentException] naming it.
  public Map<String, File> of(PodManifest pod, String uid, VolumeSource source) {
    Map<String, File> files = new TreeMap<>();
    add(pod, uid, source, files);
    return files;
  }

  private void add(PodManifest pod, String uid, VolumeSource source, Map<String, File> files) {
    switch (source) {
      case VolumeSource.KeyFiles k -> keyFiles(pod, k, files);
      case VolumeSource.DownwardApi d -> {
        for (DownwardFile f : d.items()) {
          String value = f.fieldPath().map(p -> Environment.field(pod, new Environment.PodFields(uid, "", "", ""), p))
              .orElseGet(() -> env.resource(pod, f.resource().orElseThrow()));
          files.put(f.path(), new File(value.getBytes(StandardCharsets.UTF_8), f.mode().orElse(d.defaultMode())));
        }
      }
      case VolumeSource.Projected p -> p.sources().forEach(s -> add(pod, uid, s, files));
      default -> throw new IllegalArgumentException("not a written volume: " + source);
    }
  }

  private void keyFiles(PodManifest pod, VolumeSource.KeyFiles k, Map<String, File> files) {
    Optional<DataObject> obj = data.find(k.kind(), pod.namespace(), k.object());
    if (obj.isEmpty()) {
      if (k.optional()) {
        return;
      }
      throw new InvalidArgumentException(k.kind().resource() + " \"" + k.object() + "\" not found");
    }
    Map<String, byte[]> values = obj.get().data();
    if (k.items().isEmpty()) {
      values.forEach((key, v) -> files.put(key, new File(v, k.defaultMode())));
      return;
    }
    for (KeyToPath item : k.items()) {
      byte[] v = values.get(item.key());
      if (v == null) {
        if (k.optional()) {
          continue;
        }
        throw new InvalidArgumentException("configmap references non-existent config key: " + item.key()
            .replace("configmap", k.kind().resource()) + " (" + k.kind().kind() + " " + pod.namespace() + "/"
            + k.object() + ")");
      }
      files.put(item.path(), new File(v, item.mode().orElse(k.defaultMode())));
    }
  }

  /// Whether `source` reads the object.
  public static boolean reads(VolumeSource source, DataObject o) {
    return switch (source) {
      case VolumeSource.KeyFiles k -> k.kind() == o.kind() && k.object().equals(o.name());
      case VolumeSource.Projected p -> p.sources().stream().anyMatch(s -> reads(s, o));
      default -> false;
    };
  }
}
