package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.json.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/// ConfigMaps and Secrets as environment and as files, the downward API, memory-backed emptyDirs and
/// hostPath types, read where the kernel keeps them: /proc/PID/environ, the container's mountinfo and the
/// files through /proc/PID/root.
class ConfigVolumesIT extends SharedDaemon {
  private static final String OBJECTS = """
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: app-config}
      data: {color: blue, greeting: hello, 1st: x}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: app-secret}
      stringData: {password: s3cret}
      """;

  static List<String> environ(int pid) throws Exception {
    return Arrays.asList(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
  }

  static String mountLine(int pid, String mountPoint) throws Exception {
    return Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].equals(mountPoint)).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + mountPoint));
  }

  @Test
  void envFromObjectsAndPodFields_andVariablesInArgs() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("env.yaml", OBJECTS + """
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: env, labels: {app: web}}
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'echo "$1"; exec sleep 3600', '--', 'color is $(CFG_color) in $(POD_NAME), $$(literal)']
            resources: {limits: {memory: 64Mi}}
            envFrom: [{configMapRef: {name: app-config}}, {prefix: CFG_, configMapRef: {name: app-config}}]
            env:
            - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
            - {name: HOST_IP, valueFrom: {fieldRef: {fieldPath: status.hostIP}}}
            - {name: APP, valueFrom: {fieldRef: {fieldPath: "metadata.labels['app']"}}}
            - {name: MEM_MI, valueFrom: {resourceFieldRef: {resource: limits.memory, divisor: 1Mi}}}
            - {name: GREETING, valueFrom: {configMapKeyRef: {name: app-config, key: greeting}}}
            - {name: PASSWORD, valueFrom: {secretKeyRef: {name: app-secret, key: password}}}
            - {name: MISSING, valueFrom: {configMapKeyRef: {name: nope, key: x, optional: true}}}
            - {name: COMBINED, value: '$(GREETING)-$(APP)'}
        """).toString()).ok();
    // The pid is there from the container's creation; its environment is the command's once it runs.
    assertTrue(daemon.eventually(() -> {
      try {
        return daemon.pid("env", "c") > 0 && environ(daemon.pid("env", "c")).stream()
            .anyMatch(e -> e.startsWith("POD_NAME="));
      } catch (Exception e) {
        return false;
      }
    }));
    List<String> env = environ(daemon.pid("env", "c"));
    String ip = daemon.pod("env").get("status").get("podIP").text("");
    String hostIp = daemon.pod("env").get("status").get("hostIP").text("");
    assertFalse(hostIp.isEmpty());
    for (String want : List.of("color=blue", "CFG_color=blue", "CFG_greeting=hello", "CFG_1st=x", "POD_NAME=env", "POD_IP=" + ip, "HOST_IP=" + hostIp, "APP=web",
        "MEM_MI=64", "GREETING=hello", "PASSWORD=s3cret", "COMBINED=hello-web")) {
      assertTrue(env.contains(want), want + " in " + env);
    }
    assertFalse(env.stream().anyMatch(e -> e.startsWith("MISSING=") || e.startsWith("1st=")), env.toString());
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "env").out().contains("color is blue in env, $(literal)")));
    assertTrue(daemon.events("env").contains("Keys [1st]"), "the skipped key is named in an event");
    daemon.cli("delete", "pod", "env", "--now").ok();
  }

  @Test
  void configMapVolume_followsTheObject_secretVolumeLivesOnTmpfs() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("objs.yaml", OBJECTS).toString()).ok();
    daemon.cli("apply", "-f", daemon.writeManifest("files.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: files, labels: {tier: front}}
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
            volumeMounts:
            - {name: cfg, mountPath: /etc/cfg}
            - {name: sec, mountPath: /etc/sec}
            - {name: info, mountPath: /etc/info}
            - {name: cache, mountPath: /cache}
          volumes:
          - name: cfg
            configMap: {name: app-config, items: [{key: color, path: colors/now}], defaultMode: 0440}
          - name: sec
            secret: {secretName: app-secret}
          - name: info
            projected:
              sources:
              - downwardAPI: {items: [{path: labels, fieldRef: {fieldPath: metadata.labels}}]}
              - configMap: {name: app-config, items: [{key: greeting, path: greeting}]}
          - name: cache
            emptyDir: {medium: Memory, sizeLimit: 16Mi}
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.pid("files", "c") > 0));
    int pid = daemon.pid("files", "c");
    Path root = Path.of("/proc/" + pid + "/root");
    assertEquals("blue", Files.readString(root.resolve("etc/cfg/colors/now")));
    assertEquals(0440, (Integer) Files.getAttribute(root.resolve("etc/cfg/colors/now"), "unix:mode") & 0777);
    assertTrue(Files.isSymbolicLink(root.resolve("etc/cfg/..data")), "kubelet's ..data layout");
    assertTrue(mountLine(pid, "/etc/cfg").split(" ")[5].startsWith("ro"), "written volumes are read-only");
    assertEquals("s3cret", Files.readString(root.resolve("etc/sec/password")));
    assertTrue(mountLine(pid, "/etc/sec").contains(" - tmpfs "), "a secret never touches the disk: "
        + mountLine(pid, "/etc/sec"));
    assertEquals("tier=\"front\"", Files.readString(root.resolve("etc/info/labels")));
    assertEquals("hello", Files.readString(root.resolve("etc/info/greeting")));
    String cache = mountLine(pid, "/cache");
    assertTrue(cache.contains(" - tmpfs ") && cache.contains("size=16384k"), cache);

    daemon.cli("apply", "-f", daemon.writeManifest("objs2.yaml", OBJECTS.replace("color: blue", "color: green"))
        .toString()).ok();
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> {
      try {
        return Files.readString(root.resolve("etc/cfg/colors/now")).equals("green");
      } catch (java.io.IOException e) {
        return false;
      }
    }), "the file follows the ConfigMap");
    String got = daemon.cli("get", "configmaps").ok().out();
    assertTrue(got.startsWith("NAME") && got.contains("app-config") && got.matches("(?s).*app-config\\s+3\\s.*"), got);
    String secrets = daemon.cli("get", "secrets", "-o", "yaml").ok().out();
    assertFalse(secrets.contains("s3cret"), "values never leave the daemon: " + secrets);
    String described = daemon.cli("describe", "secret", "app-secret").ok().out();
    assertTrue(described.contains("password:  6 bytes") && !described.contains("s3cret"), described);
    assertTrue(daemon.cli("describe", "configmap", "app-config").ok().out().contains("color:\n----\ngreen"));
    String log = Files.readString(daemon.root.resolve("daemon.log"));
    assertFalse(log.contains("s3cret"), "nor go into the daemon's log");
    daemon.cli("delete", "pod", "files", "--now").ok();
    daemon.cli("delete", "configmap", "app-config").ok();
    daemon.cli("delete", "secret", "app-secret").ok();
    assertFalse(daemon.cli("get", "configmaps").out().contains("app-config"));
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void missingObjects_andHostPathTypes_failAsKubeletFailsThem() throws Exception {
    String made = "/tmp/peapod-hostpath-" + UUID.randomUUID();
    daemon.cli("apply", "-f", daemon.writeManifest("missing.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: envmissing}
        spec:
          containers:
          - name: env
            image: busybox
            command: ['sleep', '3600']
            env: [{name: X, valueFrom: {configMapKeyRef: {name: nope, key: x}}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: volmissing}
        spec:
          containers:
          - {name: vol, image: busybox, command: ['sleep', '3600'], volumeMounts: [{name: cfg, mountPath: /cfg}]}
          volumes: [{name: cfg, configMap: {name: nope}}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: optional}
        spec:
          containers:
          - name: optional
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: opt, mountPath: /opt}, {name: made, mountPath: /made}, {name: file, mountPath: /f}]
          - name: wrongtype
            image: busybox
            command: ['sleep', '3600']
            volumeMounts: [{name: notafile, mountPath: /f}]
          volumes:
          - {name: opt, configMap: {name: nope, optional: true}}
          - {name: made, hostPath: {path: %s/sub, type: DirectoryOrCreate}}
          - {name: file, hostPath: {path: %s-file, type: FileOrCreate}}
          - {name: notafile, hostPath: {path: /tmp, type: File}}
        """.formatted(made, made)).toString()).ok();
    JsonNode env = daemon.awaitWaiting("envmissing", "env", "CreateContainerConfigError");
    assertTrue(env.get("message").text("").contains("configmap \"nope\" not found"), env.raw().toString());
    JsonNode vol = daemon.awaitWaiting("volmissing", "vol", "CreateContainerConfigError");
    assertTrue(vol.get("message").text("").contains("volume \"cfg\": configmap \"nope\" not found"),
        vol.raw().toString());
    JsonNode type = daemon.awaitWaiting("optional", "wrongtype", "CreateContainerConfigError");
    assertTrue(type.get("message").text("").contains("type check failed"), type.raw().toString());
    assertTrue(daemon.eventually(() -> daemon.pid("optional", "optional") > 0), "an optional object may be missing");
    assertTrue(Files.isDirectory(Path.of(made, "sub")), "DirectoryOrCreate made the directories");
    assertEquals(0755, (Integer) Files.getAttribute(Path.of(made), "unix:mode") & 0777, "not the daemon's umask");
    assertEquals(0755, (Integer) Files.getAttribute(Path.of(made, "sub"), "unix:mode") & 0777);
    assertTrue(Files.isRegularFile(Path.of(made + "-file")), "FileOrCreate made the file");
    assertEquals(0644, (Integer) Files.getAttribute(Path.of(made + "-file"), "unix:mode") & 0777);
    daemon.cli("delete", "pod", "envmissing", "volmissing", "optional", "--now").ok();
    Files.delete(Path.of(made, "sub"));
    Files.delete(Path.of(made));
    Files.delete(Path.of(made + "-file"));
    var bad = daemon.cli("apply", "-f", daemon.writeManifest("badvol.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: badvol}
        spec:
          containers: [{name: c, image: busybox}]
          volumes: [{name: v, configMap: {name: x, items: [{key: a, path: ../../etc/passwd}]}}]
        """).toString());
    assertNotEquals(0, bad.exitCode());
    assertTrue(bad.err().contains("spec.volumes[0].configMap.items[0].path"), bad.err());
  }

  @Test
  void subPathIntoAConfigMap_andRestartsAfterTheConfigMapIsDeleted_keepItsFiles() throws Exception {
    daemon.cli("apply", "-f", daemon.writeManifest("sub.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: sub-config}
        data: {color: red}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: sub}
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sh', '-c', 'cat /color /all/color; sleep 1; exit 1']
            volumeMounts: [{name: cfg, mountPath: /color, subPath: color}, {name: cfg, mountPath: /all}]
          volumes: [{name: cfg, configMap: {name: sub-config}}]
        """).toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.container("sub", "c").get("restartCount").asLong(0) >= 1));
    String logs = daemon.cli("logs", "sub", "-p").ok().out();
    assertTrue(logs.startsWith("redred"), "a subPath into the ..data layout works: " + logs + daemon.events("sub"));
    daemon.cli("delete", "configmap", "sub-config").ok();
    long before = daemon.container("sub", "c").get("restartCount").asLong(0);
    assertTrue(daemon.eventually(Duration.ofSeconds(30),
        () -> daemon.container("sub", "c").get("restartCount").asLong(0) >= before + 2),
        "the container keeps restarting with the files it had: " + daemon.container("sub", "c").raw());
    assertTrue(daemon.cli("logs", "sub", "-p").ok().out().startsWith("redred"));
    daemon.cli("delete", "pod", "sub", "--now").ok();
  }
}
