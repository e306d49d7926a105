package io.peapod.kubelet.manifest;

import io.peapod.kubelet.manifest.EnvVar.ObjectKind;
import io.peapod.kubelet.manifest.PodManifest.VolumeSpec;
import io.peapod.kubelet.manifest.VolumeSource.DownwardFile;
import io.peapod.kubelet.manifest.VolumeSource.KeyToPath;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// `spec.volumes`, validated as the API server validates them. Every path a volume names inside itself
/// (`items[].path`) is relative and free of `..`; the kubelet still writes them without following links.
final class VolumeParser {
  static final List<String> HOST_PATH_TYPES = List.of("", "DirectoryOrCreate", "Directory", "FileOrCreate", "File",
      "Socket", "CharDevice", "BlockDevice");
  private static final Set<String> SOURCES = Set.of("hostPath", "emptyDir", "configMap", "secret", "downwardAPI",
      "projected");
  private final Fields f;
  private final EnvParser env;

  VolumeParser(Fields f, EnvParser env) {
    this.f = f;
    this.env = env;
  }

  List<VolumeSpec> volumes(Object o) {
    List<VolumeSpec> volumes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int vi = 0;
    for (Object v : f.list(o, "spec.volumes")) {
      String path = "spec.volumes[" + vi++ + "]";
      Map<String, Object> vm = f.map(v, path);
      String vname = f.string(vm.get("name"), path + ".name");
      f.dnsLabel(vname, path + ".name");
      if (!names.add(vname)) {
        throw f.error(path + ".name", "'" + vname + "' is used twice");
      }
      List<String> types = vm.keySet().stream().filter(k -> !k.equals("name")).toList();
      if (types.size() != 1) {
        throw f.error(path, "'" + vname + "' must have exactly one volume type, not " + (types.isEmpty() ? "none"
            : types));
      }
      String type = types.getFirst();
      if (!SOURCES.contains(type)) {
        throw f.error(path + "." + type, "is not a volume type peapod has; it runs hostPath, emptyDir, configMap,"
            + " secret, downwardAPI and projected volumes");
      }
      volumes.add(new VolumeSpec(vname, source(type, f.map(vm.get(type), path + "." + type), path + "." + type)));
    }
    return volumes;
  }

  private VolumeSource source(String type, Map<String, Object> m, String at) {
    return switch (type) {
      case "hostPath" -> {
        String hp = f.string(m.get("path"), at + ".path");
        f.cleanAbsolute(hp, at + ".path");
        yield new VolumeSource.HostPath(hp, f.oneOf(m.get("type"), at + ".type", "", HOST_PATH_TYPES));
      }
      case "emptyDir" -> {
        String medium = f.oneOf(m.get("medium"), at + ".medium", "", List.of("", "Memory"));
        long size = m.containsKey("sizeLimit")
            ? Quantities.bytes(f.string(m.get("sizeLimit"), at + ".sizeLimit"), f.where() + ": " + at + ".sizeLimit")
            : 0;
        if (size < 0) {
          throw f.error(at + ".sizeLimit", "must not be negative");
        }
        yield new VolumeSource.EmptyDir(medium.equals("Memory"), size);
      }
      case "configMap" -> keyFiles(ObjectKind.CONFIG_MAP, m, "name", at, mode(m.get("defaultMode"),
          at + ".defaultMode", VolumeSource.DEFAULT_MODE));
      case "secret" -> keyFiles(ObjectKind.SECRET, m, "secretName", at, mode(m.get("defaultMode"),
          at + ".defaultMode", VolumeSource.DEFAULT_MODE));
      case "downwardAPI" -> new VolumeSource.DownwardApi(downwardFiles(m, at),
          mode(m.get("defaultMode"), at + ".defaultMode", VolumeSource.DEFAULT_MODE));
      default -> projected(m, at);
    };
  }

  private VolumeSource projected(Map<String, Object> m, String at) {
    int mode = mode(m.get("defaultMode"), at + ".defaultMode", VolumeSource.DEFAULT_MODE);
    List<VolumeSource> sources = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    int i = 0;
    for (Object s : f.list(m.get("sources"), at + ".sources")) {
      String sp = at + ".sources[" + i++ + "]";
      Map<String, Object> sm = f.map(s, sp);
      if (sm.size() != 1) {
        throw f.error(sp, "must have exactly one of configMap, secret or downwardAPI");
      }
      String kind = sm.keySet().iterator().next();
      Map<String, Object> src = f.map(sm.get(kind), sp + "." + kind);
      VolumeSource source = switch (kind) {
        case "configMap" -> keyFiles(ObjectKind.CONFIG_MAP, src, "name", sp + "." + kind, mode);
        case "secret" -> keyFiles(ObjectKind.SECRET, src, "name", sp + "." + kind, mode);
        case "downwardAPI" -> new VolumeSource.DownwardApi(downwardFiles(src, sp + "." + kind), mode);
        case "serviceAccountToken" -> throw f.error(sp + "." + kind, "is refused: a single node has no API server"
            + " to issue service account tokens; mount a Secret holding the token instead");
        case "clusterTrustBundle" -> throw f.error(sp + "." + kind, "is refused: a single node has no"
            + " ClusterTrustBundle objects; mount a ConfigMap holding the bundle instead");
        default -> throw f.error(sp + "." + kind, "is not a projection; use configMap, secret or downwardAPI");
      };
      itemPaths(source).forEach(p -> {
        if (!paths.add(p)) {
          throw f.error(sp, "writes '" + p + "', which another source of the projected volume writes too");
        }
      });
      sources.add(source);
    }
    return new VolumeSource.Projected(sources, mode);
  }

  private static List<String> itemPaths(VolumeSource s) {
    return switch (s) {
      case VolumeSource.KeyFiles k -> k.items().stream().map(KeyToPath::path).toList();
      case VolumeSource.DownwardApi d -> d.items().stream().map(DownwardFile::path).toList();
      default -> List.of();
    };
  }

  private VolumeSource.KeyFiles keyFiles(ObjectKind kind, Map<String, Object> m, String nameField, String at,
      int defaultMode) {
    String name = f.string(m.get(nameField), at + "." + nameField);
    if (!Fields.DNS_SUBDOMAIN.matcher(name).matches()) {
      throw f.error(at + "." + nameField, "'" + name + "' is not a valid " + kind.kind() + " name");
    }
    List<KeyToPath> items = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    int i = 0;
    for (Object o : f.list(m.get("items"), at + ".items")) {
      String ip = at + ".items[" + i++ + "]";
      Map<String, Object> im = f.map(o, ip);
      String key = f.string(im.get("key"), ip + ".key");
      env.configKey(key, ip + ".key");
      String path = itemPath(im.get("path"), ip + ".path", paths);
      items.add(new KeyToPath(key, path, im.containsKey("mode")
          ? Optional.of(mode(im.get("mode"), ip + ".mode", 0)) : Optional.empty()));
    }
    return new VolumeSource.KeyFiles(kind, name, items, defaultMode, f.bool(m.get("optional"), at + ".optional"));
  }

  private List<DownwardFile> downwardFiles(Map<String, Object> m, String at) {
    List<DownwardFile> files = new ArrayList<>();
    Set<String> paths = new HashSet<>();
    int i = 0;
    for (Object o : f.list(m.get("items"), at + ".items")) {
      String ip = at + ".items[" + i++ + "]";
      Map<String, Object> im = f.map(o, ip);
      String path = itemPath(im.get("path"), ip + ".path", paths);
      boolean field = im.containsKey("fieldRef");
      if (field == im.containsKey("resourceFieldRef")) {
        throw f.error(ip, "must have exactly one of fieldRef or resourceFieldRef");
      }
      Optional<Integer> mode = im.containsKey("mode") ? Optional.of(mode(im.get("mode"), ip + ".mode", 0))
          : Optional.empty();
      if (field) {
        files.add(new DownwardFile(path, Optional.of(env.volumeFieldPath(f.map(im.get("fieldRef"), ip + ".fieldRef"),
            ip + ".fieldRef")), Optional.empty(), mode));
      } else {
        Map<String, Object> ref = f.map(im.get("resourceFieldRef"), ip + ".resourceFieldRef");
        if (!ref.containsKey("containerName")) {
          throw f.error(ip + ".resourceFieldRef.containerName", "is required in a volume");
        }
        files.add(new DownwardFile(path, Optional.empty(), Optional.of(env.resource(path, ref,
            ip + ".resourceFieldRef", "")), mode));
      }
    }
    return files;
  }

  private String itemPath(Object o, String field, Set<String> seen) {
    String path = f.string(o, field);
    List<String> parts = List.of(path.split("/", -1));
    if (path.isEmpty() || path.startsWith("..") || parts.stream().anyMatch(p -> p.isEmpty() || p.equals(".")
        || p.equals(".."))) {
      throw f.error(field, "'" + path + "' must be a relative path of plain names (no '..', '.', empty parts or"
          + " trailing '/') that does not start with '..'");
    }
    if (!seen.add(path)) {
      throw f.error(field, "'" + path + "' is used twice");
    }
    return path;
  }

  private int mode(Object o, String field, int fallback) {
    return (int) f.number(o, field, fallback, 0, 0777);
  }
}
