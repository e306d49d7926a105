package io.peapod.kubelet.manifest;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.ref.ImageRef;
import io.peapod.runtime.api.ContainerStdio;
import io.peapod.kubelet.manifest.PodManifest.ContainerSpec;
import io.peapod.kubelet.manifest.PodManifest.EphemeralContainer;
import io.peapod.kubelet.manifest.PodManifest.PortSpec;
import io.peapod.kubelet.manifest.PodManifest.Security;
import io.peapod.kubelet.manifest.PodManifest.VolumeMountSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/// One container of a pod spec (an app container, or an init container when `init`), validated as
/// the API server validates it.
final class ContainerParser {
  private static final String DEFAULT_TERMINATION_LOG = "/dev/termination-log";
  private final Fields f;
  private final HandlerParser handlers;
  private final EnvParser envs;
  private final SecurityParser security;

  ContainerParser(Fields f, EnvParser envs) {
    this.f = f;
    this.handlers = new HandlerParser(f);
    this.envs = envs;
    this.security = new SecurityParser(f);
  }

  ContainerSpec container(Map<String, Object> c, String path, Set<String> volumeNames, boolean init,
      boolean hostUsers) {
    String name = f.string(c.get("name"), path + ".name");
    f.dnsLabel(name, path + ".name");
    String at = path + " '" + name + "'";
    String image = f.string(c.get("image"), at + ".image");
    if (image.isBlank()) {
      throw f.error(at + ".image", "is required");
    }
    ImageRef ref;
    try {
      ref = ImageRef.parse(image);
    } catch (InvalidArgumentException e) {
      throw new InvalidArgumentException(f.where() + ": " + at + ".image '" + image + "': " + e.getMessage(), e);
    }
    String pull = f.string(c.getOrDefault("imagePullPolicy", ""), at + ".imagePullPolicy");
    if (pull.isEmpty()) {
      pull = ref.digest().isEmpty() && ref.tag().orElse("latest").equals("latest") ? "Always" : "IfNotPresent";
    } else {
      f.oneOf(pull, at + ".imagePullPolicy", "", List.of("Always", "IfNotPresent", "Never"));
    }
    Map<String, Object> res = f.optionalMap(c.get("resources"), at + ".resources");
    Map<String, String> limits = f.stringMap(res.get("limits"), at + ".resources.limits");
    Map<String, String> requests = new LinkedHashMap<>(limits);
    requests.putAll(f.stringMap(res.get("requests"), at + ".resources.requests"));
    String qWhere = f.where() + ": " + at + ".resources";
    List<PortSpec> ports = ports(c, at);
    Optional<String> restartPolicy = c.containsKey("restartPolicy")
        ? Optional.of(f.string(c.get("restartPolicy"), at + ".restartPolicy")) : Optional.empty();
    if (restartPolicy.isPresent() && !init) {
      throw f.error(at + ".restartPolicy", "may be set only on init containers (Always makes one a sidecar)");
    }
    if (restartPolicy.isPresent() && !restartPolicy.get().equals("Always")) {
      throw f.error(at + ".restartPolicy", "'" + restartPolicy.get() + "' must be Always: an init container's"
          + " restartPolicy makes it a sidecar");
    }
    boolean sidecar = restartPolicy.isPresent();
    if (init && !sidecar) {
      for (String field : List.of("livenessProbe", "readinessProbe", "startupProbe", "lifecycle")) {
        if (c.containsKey(field)) {
          throw f.error(at + "." + field, "may not be set on an init container unless it is a sidecar"
              + " (restartPolicy: Always)");
        }
      }
    }
    List<EnvVar> env = envs.env(c.get("env"), at, name);
    Security sc = security.container(c.get("securityContext"), at, hostUsers);
    String messagePath = f.string(c.getOrDefault("terminationMessagePath", DEFAULT_TERMINATION_LOG),
        at + ".terminationMessagePath");
    f.cleanAbsolute(messagePath, at + ".terminationMessagePath");
    return new ContainerSpec(name, image, pull, f.strings(c.get("command"), at + ".command"),
        f.strings(c.get("args"), at + ".args"), f.string(c.getOrDefault("workingDir", ""), at + ".workingDir"),
        env, envs.envFrom(c.get("envFrom"), at),
        requests.containsKey("cpu") ? Quantities.cpuMilli(requests.get("cpu"), qWhere) : 0,
        limits.containsKey("cpu") ? Quantities.cpuMilli(limits.get("cpu"), qWhere) : 0,
        requests.containsKey("memory") ? Quantities.bytes(requests.get("memory"), qWhere) : 0,
        limits.containsKey("memory") ? Quantities.bytes(limits.get("memory"), qWhere) : 0,
        sc, mounts(c, at, volumeNames, sc.privileged()), ports,
        handlers.probe(c.get("livenessProbe"), at + ".livenessProbe", true, ports),
        handlers.probe(c.get("readinessProbe"), at + ".readinessProbe", false, ports),
        handlers.probe(c.get("startupProbe"), at + ".startupProbe", true, ports),
        handlers.lifecycle(c.get("lifecycle"), at + ".lifecycle", ports), restartPolicy, messagePath,
        f.oneOf(c.get("terminationMessagePolicy"), at + ".terminationMessagePolicy", "File",
            List.of("File", "FallbackToLogsOnError")), stdio(c, at));
  }

  /// `stdinOnce` means something only with `stdin` (Kubernetes accepts it alone and it does nothing).
  private ContainerStdio stdio(Map<String, Object> c, String at) {
    boolean stdin = f.bool(c.get("stdin"), at + ".stdin");
    boolean once = stdin && f.bool(c.get("stdinOnce"), at + ".stdinOnce");
    return new ContainerStdio(stdin, once, f.bool(c.get("tty"), at + ".tty"));
  }

  /// An ephemeral container: a container without the fields that make no sense for one that runs
  /// once to inspect a pod, refused by name as the API server refuses them.
  EphemeralContainer ephemeral(Map<String, Object> c, String path, Set<String> volumeNames, boolean hostUsers) {
    for (String field : List.of("ports", "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
        "resources", "restartPolicy")) {
      if (c.containsKey(field)) {
        throw f.error(path + "." + field, "Forbidden: cannot be set for an Ephemeral Container");
      }
    }
    ContainerSpec spec = container(c, path, volumeNames, false, hostUsers);
    String target = f.string(c.getOrDefault("targetContainerName", ""), path + ".targetContainerName");
    return new EphemeralContainer(spec, target.isEmpty() ? Optional.empty() : Optional.of(target));
  }

  private List<VolumeMountSpec> mounts(Map<String, Object> c, String at, Set<String> volumeNames,
      boolean privileged) {
    List<VolumeMountSpec> mounts = new ArrayList<>();
    Set<String> mountPaths = new java.util.HashSet<>();
    int mi = 0;
    for (Object m : f.list(c.get("volumeMounts"), at + ".volumeMounts")) {
      String mp = at + ".volumeMounts[" + mi++ + "]";
      Map<String, Object> mm = f.map(m, mp);
      String vname = f.string(mm.get("name"), mp + ".name");
      if (!volumeNames.contains(vname)) {
        throw f.error(mp, "names volume '" + vname + "', which is not in spec.volumes");
      }
      String mountPath = f.string(mm.get("mountPath"), mp + ".mountPath");
      f.cleanAbsolute(mountPath, mp + ".mountPath");
      String subPath = f.string(mm.getOrDefault("subPath", ""), mp + ".subPath");
      String field = mp + ".subPath";
      boolean expand = mm.containsKey("subPathExpr");
      if (expand) {
        if (!subPath.isEmpty()) {
          throw f.error(mp + ".subPathExpr", "may not be set together with subPath");
        }
        field = mp + ".subPathExpr";
        subPath = f.string(mm.get("subPathExpr"), field);
      }
      checkSubPath(subPath, field, f);
      String propagation = f.oneOf(mm.get("mountPropagation"), mp + ".mountPropagation", "None",
          List.of("None", "HostToContainer", "Bidirectional"));
      if (propagation.equals("Bidirectional") && !privileged) {
        throw f.error(mp + ".mountPropagation", "Bidirectional is allowed only in privileged containers");
      }
      if (!mountPaths.add(mountPath)) {
        throw f.error(mp + ".mountPath", "'" + mountPath + "' is used by another volume mount");
      }
      mounts.add(new VolumeMountSpec(vname, mountPath, f.bool(mm.get("readOnly"), mp + ".readOnly"), subPath, expand,
          propagation));
    }
    return mounts;
  }

  /// A subPath (or a subPathExpr, before and after expansion) is relative and has no `..`; it is then
  /// resolved beneath its volume without following links, so a variable cannot lead out either.
  static void checkSubPath(String subPath, String field, Fields f) {
    if (subPath.startsWith("/") || List.of(subPath.split("/")).contains("..")) {
      throw f.error(field, "'" + subPath + "' must be a relative path without '..'");
    }
  }

  private List<PortSpec> ports(Map<String, Object> c, String at) {
    List<PortSpec> ports = new ArrayList<>();
    int pi = 0;
    for (Object o : f.list(c.get("ports"), at + ".ports")) {
      String pp = at + ".ports[" + pi++ + "]";
      Map<String, Object> pm = f.map(o, pp);
      int containerPort = (int) f.number(pm.get("containerPort"), pp + ".containerPort");
      int hostPort = pm.containsKey("hostPort") ? (int) f.number(pm.get("hostPort"), pp + ".hostPort") : 0;
      for (int port : new int[] {containerPort, hostPort}) {
        if (port < 0 || port > 65535 || (port == 0 && port == containerPort)) {
          throw f.error(pp, "port " + port + " must be within 1-65535");
        }
      }
      String protocol = f.oneOf(pm.get("protocol"), pp + ".protocol", "TCP", List.of("TCP", "UDP", "SCTP"));
      ports.add(new PortSpec(f.string(pm.get("name"), pp + ".name"), containerPort, hostPort, protocol,
          f.string(pm.get("hostIP"), pp + ".hostIP")));
    }
    return ports;
  }
}
