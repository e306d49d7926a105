package io.peapod.image.importer;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.image.manifest.ImageConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/// Applies Dockerfile-style instructions (`CMD ["sh"]`, `ENTRYPOINT /bin/app`, `ENV A=1`, `WORKDIR /x`,
/// `USER 1000`, `LABEL k=v`, `STOPSIGNAL SIGINT`) to an image config, as `podman import --change` does.
public final class ConfigChanges {
  private ConfigChanges() {}

  public static ImageConfig apply(ImageConfig base, List<String> changes) {
    String user = base.user();
    List<String> env = new ArrayList<>(base.env());
    List<String> entrypoint = base.entrypoint();
    List<String> cmd = base.cmd();
    String workingDir = base.workingDir();
    String stopSignal = base.stopSignal();
    Map<String, String> labels = new LinkedHashMap<>(base.labels());
    for (String change : changes) {
      String trimmed = change.trim();
      int space = trimmed.indexOf(' ');
      String word = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
      String arg = space < 0 ? "" : trimmed.substring(space + 1).trim();
      switch (word) {
        case "CMD" -> cmd = commandForm(arg, change);
        case "ENTRYPOINT" -> entrypoint = commandForm(arg, change);
        case "WORKDIR" -> workingDir = arg;
        case "USER" -> user = arg;
        case "STOPSIGNAL" -> stopSignal = arg;
        case "ENV" -> {
          String[] kv = arg.contains("=") ? arg.split("=", 2) : arg.split("\\s+", 2);
          if (kv.length != 2 || kv[0].isEmpty()) {
            throw new InvalidArgumentException("--change '" + change + "': want ENV NAME=value");
          }
          String prefix = kv[0] + "=";
          env.removeIf(e -> e.startsWith(prefix));
          env.add(prefix + kv[1]);
        }
        case "LABEL" -> {
          String[] kv = arg.split("=", 2);
          if (kv.length != 2) {
            throw new InvalidArgumentException("--change '" + change + "': want LABEL key=value");
          }
          labels.put(kv[0], kv[1]);
        }
        default -> throw new InvalidArgumentException("--change '" + change
            + "': unknown instruction; use CMD, ENTRYPOINT, ENV, WORKDIR, USER, LABEL or STOPSIGNAL");
      }
    }
    return new ImageConfig(base.architecture(), base.os(), user, env, entrypoint, cmd, workingDir, labels,
        stopSignal, base.diffIds(), base.created());
  }

  /// JSON array form as is; shell form wrapped in `/bin/sh -c`, as Dockerfiles do.
  private static List<String> commandForm(String arg, String change) {
    if (arg.startsWith("[")) {
      if (!(Json.parse(arg) instanceof List<?> list)) {
        throw new InvalidArgumentException("--change '" + change + "': want a JSON array of strings");
      }
      return list.stream().map(String::valueOf).toList();
    }
    return arg.isEmpty() ? List.of() : List.of("/bin/sh", "-c", arg);
  }
}
