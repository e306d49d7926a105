package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.proc.ProcFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// Importing `docker save` and OCI layout archives, running them (whiteouts hide lower files through
/// overlayfs), and refusing layers that would escape their root.
@RequiresRoot
class ImageImportIT {
  private static TestDaemon daemon;
  private static byte[] busyboxLayer;

  @BeforeAll
  static void start() throws Exception {
    daemon = TestDaemon.start();
    daemon.importBusybox();
    busyboxLayer = daemon.busyboxLayer();
  }

  @AfterAll
  static void stop() throws Exception {
    daemon.close();
  }

  /// Imports a `docker save` archive of one image: its config and layers, lowest first.
  private static void importSaved(String tag, byte[] config, byte[]... layers) throws Exception {
    Map<String, byte[]> f = Archives.files();
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < layers.length; i++) {
      names.add("\"l" + i + ".tar\"");
      f.put("l" + i + ".tar", layers[i]);
    }
    f.put("manifest.json", ("[{\"Config\":\"c.json\",\"RepoTags\":[\"" + tag + "\"],\"Layers\":["
        + String.join(",", names) + "]}]").getBytes(StandardCharsets.UTF_8));
    f.put("c.json", config);
    String file = tag.replaceAll("[^a-z0-9]", "-") + ".tar";
    daemon.cli("image", "import", Archives.archive(daemon.root.resolve(file), f).toString()).ok();
  }

  /// Applies a pod of one container `c` running the image.
  private static void runPod(String name, String image) throws Exception {
    Path m = daemon.writeManifest(name + ".yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: c
            image: %s
        """.formatted(name, image));
    daemon.cli("apply", "-f", m.toString()).ok();
  }

  private static byte[] topLayer() throws Exception {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("data/", "");
    e.put("data/.wh.gone.txt", "");
    e.put("data/new.txt", "from the top layer\n");
    return Archives.layer(e);
  }

  private static byte[] middleLayer() throws Exception {
    Map<String, String> e = new LinkedHashMap<>();
    e.put("data/", "");
    e.put("data/gone.txt", "hidden by a whiteout\n");
    e.put("data/kept.txt", "kept\n");
    return Archives.layer(e);
  }

  @Test
  void dockerSaveArchive_runsWithWhiteoutsApplied() throws Exception {
    byte[] l1 = busyboxLayer;
    byte[] l2 = middleLayer();
    byte[] l3 = topLayer();
    byte[] config = Archives.config("[\"sh\",\"-c\",\"cat /data/new.txt; sleep 3600\"]", Archives.sha256(l1),
        Archives.sha256(l2), Archives.sha256(l3)).getBytes(StandardCharsets.UTF_8);
    Map<String, byte[]> f = Archives.files();
    f.put("manifest.json", ("[{\"Config\":\"cfg.json\",\"RepoTags\":[\"example.com/test/saved:v1\"],"
        + "\"Layers\":[\"a/layer.tar\",\"b/layer.tar\",\"c/layer.tar\"]}]").getBytes(StandardCharsets.UTF_8));
    f.put("cfg.json", config);
    f.put("a/layer.tar", l1);
    f.put("b/layer.tar", l2);
    f.put("c/layer.tar", l3);
    Path archive = Archives.archive(daemon.root.resolve("saved.tar"), f);
    assertTrue(daemon.cli("image", "import", archive.toString()).ok().out().contains("example.com/test/saved:v1"));

    Path m = daemon.writeManifest("saved.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: saved
        spec:
          containers:
          - name: app
            image: example.com/test/saved:v1
        """);
    daemon.cli("apply", "-f", m.toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "saved").out().contains("from the top layer")));
    String ls = daemon.cli("exec", "saved", "--", "ls", "/data").ok().out();
    assertTrue(ls.contains("kept.txt") && ls.contains("new.txt"), ls);
    assertFalse(ls.contains("gone.txt"), "the whiteout hides gone.txt: " + ls);
    assertEquals("yes", daemon.cli("exec", "saved", "--", "sh", "-c", "echo $FROM_IMAGE").ok().out().trim());
    CliResult inUse = daemon.cli("image", "rm", "example.com/test/saved:v1");
    assertEquals(5, inUse.exitCode(), "an image in use is not removed: " + inUse.err());
    daemon.cli("delete", "pod", "saved", "--now").ok();
    daemon.cli("image", "rm", "example.com/test/saved:v1").ok();
    assertFalse(daemon.cli("image", "ls").ok().out().contains("saved"));
  }

  /// The image's USER is looked up in its layers as overlayfs merges them (the top layer's /etc/passwd, not
  /// the one below it), and the container's root is an overlay in its own mount namespace only.
  @Test
  void imageUser_fromTheTopmostPasswd_andTheRootIsMountedInsideTheContainerOnly() throws Exception {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("etc/", "");
    base.put("etc/passwd", "root:x:0:0::/:/bin/sh\napp:x:1000:1000::/:/bin/sh\n");
    Map<String, String> top = new LinkedHashMap<>();
    top.put("etc/", "");
    top.put("etc/passwd", "root:x:0:0::/:/bin/sh\napp:x:2345:2346::/:/bin/sh\n");
    byte[] l1 = busyboxLayer;
    byte[] l2 = Archives.layer(base);
    byte[] l3 = Archives.layer(top);
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"User\":\"app\","
        + "\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\",\"-c\",\"echo ids=$(id -u):$(id -g); touch /tmp/made-inside; sleep 3600\"]},\"rootfs\":"
        + "{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + Archives.sha256(l1) + "\",\"sha256:" + Archives.sha256(l2)
        + "\",\"sha256:" + Archives.sha256(l3) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    importSaved("example.com/user:1", config, l1, l2, l3);
    runPod("user", "example.com/user:1");
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "user").out().contains("ids=")),
        daemon.cli("logs", "user").out());
    assertEquals("ids=2345:2346", daemon.cli("logs", "user").out().trim());
    // Its output can be read a moment before its start is recorded.
    assertTrue(daemon.eventually(() -> daemon.pid("user", "c") > 0));
    int pid = daemon.pid("user", "c");
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    assertTrue(status.contains("\nUid:\t2345\t") && status.contains("\nGid:\t2346\t"), status);
    String root = Files.readAllLines(Path.of("/proc/" + pid + "/mountinfo")).stream()
        .filter(l -> l.split(" ")[4].equals("/") && l.contains(" - overlay ")).findFirst().orElseThrow();
    assertTrue(root.contains("upperdir=" + daemon.stateRoot.resolve("snapshots")), "the container's / is its overlay: "
        + root);
    // With runc the overlay is mounted in the container's namespace only; with crun, on the node first.
    String containers = daemon.root.resolve("run/containers").toString();
    long onNode = ProcFs.HOST.mountPoints("self").stream().filter(p -> p.startsWith(containers)).count();
    assertEquals(daemon.usesRunc() ? 0 : 1, onNode, "container roots mounted on the node");
    String upper = root.replaceAll(".*upperdir=([^,]+).*", "$1");
    assertTrue(daemon.eventually(() -> Files.exists(Path.of(upper, "tmp/made-inside"))),
        "a write inside lands in the snapshot's upper directory: " + upper);
    daemon.cli("delete", "pod", "user", "--now").ok();
    daemon.cli("image", "rm", "example.com/user:1").ok();
  }

  @Test
  void imageWithoutEnv_getsTheDefaultPath() throws Exception {
    byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\",\"-c\","
        + "\"echo path=$PATH; sleep 3600\"]},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
        + Archives.sha256(busyboxLayer) + "\"]}}").getBytes(StandardCharsets.UTF_8);
    importSaved("example.com/noenv:1", config, busyboxLayer);
    runPod("noenv", "example.com/noenv:1");
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "noenv").out()
        .contains("path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")), daemon.cli("logs", "noenv").out());
    daemon.cli("delete", "pod", "noenv", "--now").ok();
    daemon.cli("image", "rm", "example.com/noenv:1").ok();
  }

  @Test
  void ociLayoutArchive_withGzipLayers_importsByRefName() throws Exception {
    byte[] l1 = Archives.gzip(busyboxLayer);
    byte[] l2 = Archives.gzip(middleLayer());
    byte[] config = Archives.config("[\"sleep\",\"3600\"]", Archives.sha256(busyboxLayer),
        Archives.sha256(middleLayer())).getBytes(StandardCharsets.UTF_8);
    String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
        + "{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + Archives.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[" + layerDesc(l1) + "," + layerDesc(l2) + "]}";
    byte[] mb = manifest.getBytes(StandardCharsets.UTF_8);
    String index = "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
        + "\"digest\":\"sha256:" + Archives.sha256(mb) + "\",\"size\":" + mb.length
        + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"example.com/test/oci:1\"}}]}";
    Map<String, byte[]> f = Archives.files();
    f.put("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
    f.put("index.json", index.getBytes(StandardCharsets.UTF_8));
    for (byte[] blob : List.of(l1, l2, config, mb)) {
      f.put("blobs/sha256/" + Archives.sha256(blob), blob);
    }
    Path archive = Archives.archive(daemon.root.resolve("oci.tar"), f);
    daemon.cli("image", "import", archive.toString()).ok();
    String ls = daemon.cli("image", "ls").ok().out();
    assertTrue(ls.contains("example.com/test/oci"), ls);
    daemon.cli("apply", "-f", daemon.writeManifest("keeps.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: keeps
        spec:
          containers:
          - name: c
            image: busybox
            command: ['sleep', '3600']
        """).toString()).ok();
    String pruned = daemon.cli("image", "prune").ok().out();
    assertTrue(pruned.contains("example.com/test/oci:1"), "an unused image is pruned: " + pruned);
    assertFalse(pruned.contains("busybox"), "an image a container uses stays: " + pruned);
    assertTrue(daemon.cli("image", "ls").ok().out().contains("docker.io/library/busybox"));
    daemon.cli("delete", "pod", "keeps", "--now").ok();
  }

  private static String layerDesc(byte[] gz) throws Exception {
    return "{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"sha256:" + Archives.sha256(gz)
        + "\",\"size\":" + gz.length + "}";
  }

  @Test
  void layerEscapingItsRoot_isRefused_andNothingIsStored() throws Exception {
    List<String> before = storeContents();
    for (Map<String, String> evil : List.of(Map.of("../../escape.txt", "x"), Map.of("/etc/abs.txt", "x"),
        Map.of("link -> ../../..", "", "link/escape.txt", "x"))) {
      Map<String, String> entries = new LinkedHashMap<>(evil);
      byte[] layer = Archives.layer(entries);
      byte[] config = Archives.config("[\"sh\"]", Archives.sha256(layer)).getBytes(StandardCharsets.UTF_8);
      Map<String, byte[]> f = Archives.files();
      f.put("manifest.json", "[{\"Config\":\"c.json\",\"RepoTags\":[\"example.com/evil:1\"],\"Layers\":[\"l.tar\"]}]"
          .getBytes(StandardCharsets.UTF_8));
      f.put("c.json", config);
      f.put("l.tar", layer);
      Path archive = Archives.archive(daemon.root.resolve("evil.tar"), f);
      CliResult r = daemon.cli("image", "import", archive.toString());
      assertEquals(2, r.exitCode(), "refused: " + evil + " " + r.err());
      assertTrue(r.err().contains("unsafe layer entry"), r.err());
      assertFalse(daemon.cli("image", "ls").ok().out().contains("evil"));
      assertEquals(before, storeContents(), "nothing of the refused image is stored");
    }
    assertFalse(Files.exists(daemon.root.resolve("escape.txt")));
    assertFalse(Files.exists(Path.of("/etc/abs.txt")));
  }

  private static List<String> storeContents() throws Exception {
    try (Stream<Path> s = Stream.concat(Files.list(daemon.root.resolve("state/content/blobs/sha256")),
        Files.list(daemon.root.resolve("state/layers")))) {
      return s.map(Path::toString).sorted().toList();
    }
  }
}
