package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/// Pulls from Debian's docker-registry on loopback: by tag and digest, an index resolved to this
/// node's platform, a corrupted blob refused with nothing stored, mirrors tried in order, and two
/// pulls of one image at once.
@RequiresRoot
class RegistryPullIT {
  private static TestDaemon daemon;
  private static LocalRegistry registry;
  private static byte[] busyboxLayer;

  @BeforeAll
  static void start() throws Exception {
    registry = LocalRegistry.start();
    daemon = TestDaemon.start();
    daemon.importBusybox();
    busyboxLayer = daemon.busyboxLayer();
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      daemon.close();
    } finally {
      registry.close();
    }
  }

  /// Pushes a two-layer image (busybox plus a gzip layer with `marker`) and returns its manifest.
  private static byte[] push(String repo, String tag, String marker) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("etc/marker", marker + "\n");
    byte[] top = Archives.layer(files);
    byte[] topGz = Archives.gzip(top);
    byte[] config = Archives.config("[\"sh\",\"-c\",\"cat /etc/marker; sleep 3600\"]", Archives.sha256(busyboxLayer),
        Archives.sha256(top)).getBytes(StandardCharsets.UTF_8);
    for (byte[] blob : List.of(busyboxLayer, topGz, config)) {
      registry.pushBlob(repo, blob);
    }
    byte[] manifest = manifest(config, desc("application/vnd.oci.image.layer.v1.tar", busyboxLayer),
        desc("application/vnd.oci.image.layer.v1.tar+gzip", topGz));
    registry.pushManifest(repo, tag, "application/vnd.oci.image.manifest.v1+json", manifest);
    return manifest;
  }

  /// An OCI image manifest for a config and layer descriptors.
  private static byte[] manifest(byte[] config, String... layers) throws Exception {
    return ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{"
        + "\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + Archives.sha256(config)
        + "\",\"size\":" + config.length + "},\"layers\":[" + String.join(",", layers) + "]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String desc(String mediaType, byte[] blob) throws Exception {
    return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"sha256:" + Archives.sha256(blob) + "\",\"size\":"
        + blob.length + "}";
  }

  @Test
  void pullByTagAndDigest_thenRunIt() throws Exception {
    byte[] manifest = push("team/app", "v1", "pulled-by-tag");
    String ref = registry.host() + "/team/app:v1";
    String out = daemon.cli("image", "pull", ref).ok().out();
    assertTrue(out.contains("pulled " + ref + " sha256:" + Archives.sha256(manifest)), out);
    String byDigest = registry.host() + "/team/app@sha256:" + Archives.sha256(manifest);
    assertTrue(daemon.cli("image", "pull", byDigest).ok().out().contains("exists"), "blobs are not fetched twice");

    Path m = daemon.writeManifest("pulled.yaml", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: pulled
        spec:
          containers:
          - name: app
            image: %s
        """.formatted(ref));
    daemon.cli("apply", "-f", m.toString()).ok();
    assertTrue(daemon.eventually(() -> daemon.cli("logs", "pulled").out().contains("pulled-by-tag")));
    daemon.cli("delete", "pod", "pulled", "--now").ok();
  }

  @Test
  void index_resolvesToThisNodesPlatform() throws Exception {
    byte[] amd64 = push("team/multi", "amd64-only", "for-amd64");
    byte[] arm64 = push("team/multi", "arm64-only", "for-arm64");
    byte[] index = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
        + platformDesc(arm64, "arm64") + "," + platformDesc(amd64, "amd64") + "]}").getBytes(StandardCharsets.UTF_8);
    registry.pushManifest("team/multi", "v1", "application/vnd.oci.image.index.v1+json", index);
    String out = daemon.cli("image", "pull", registry.host() + "/team/multi:v1").ok().out();
    assertTrue(out.contains("sha256:" + Archives.sha256(amd64)), "amd64 manifest chosen: " + out);
  }

  private static String platformDesc(byte[] manifest, String arch) throws Exception {
    return "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:"
        + Archives.sha256(manifest) + "\",\"size\":" + manifest.length + ",\"platform\":{\"os\":\"linux\","
        + "\"architecture\":\"" + arch + "\"}}";
  }

  @Test
  void corruptedBlob_isRefused_andNothingIsStored() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("etc/bad", "original\n");
    byte[] layer = Archives.gzip(Archives.layer(files));
    byte[] config = Archives.config("[\"sh\"]", Archives.sha256(Archives.layer(files))).getBytes(StandardCharsets.UTF_8);
    registry.pushBlob("team/corrupt", layer);
    registry.pushBlob("team/corrupt", config);
    registry.pushManifest("team/corrupt", "v1", "application/vnd.oci.image.manifest.v1+json",
        manifest(config, desc("application/vnd.oci.image.layer.v1.tar+gzip", layer)));
    files.put("etc/bad", "tampered\n");
    Files.write(registry.blobData(Archives.sha256(layer)), Archives.gzip(Archives.layer(files)));

    CliResult r = daemon.cli("image", "pull", registry.host() + "/team/corrupt:v1");
    assertEquals(2, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("mismatch"), "refused by digest or diff id: " + r.err());
    assertFalse(daemon.cli("image", "ls").ok().out().contains("corrupt"));
    assertFalse(Files.exists(daemon.root.resolve("state/content/blobs/sha256/" + Archives.sha256(layer))));
    assertFalse(Files.exists(daemon.root.resolve("state/layers/" + Archives.sha256(Archives.layer(files)))));
  }

  @Test
  void dockerHubMirrors_triedInOrder_andTwoPullsAtOnceBothSucceed() throws Exception {
    push("library/busybox", "latest", "from-the-mirror");
    Files.writeString(daemon.root.resolve("registries.json"), """
        {"registries": {"docker.io": {"mirrors": ["http://127.0.0.1:1", "http://%s"]}}}
        """.formatted(registry.host()));
    try (TestDaemon mirrored = TestDaemon.startWithRegistries(Files.readString(daemon.root.resolve("registries.json")))) {
      try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
        Callable<CliResult> pull = () -> mirrored.cli("image", "pull", "busybox");
        List<Future<CliResult>> both = List.of(pool.submit(pull), pool.submit(pull));
        for (Future<CliResult> f : both) {
          CliResult r = f.get().ok();
          assertTrue(r.out().contains("failed on http://127.0.0.1:1"), "the dead mirror is tried first: " + r.out());
          assertTrue(r.out().contains("pulled docker.io/library/busybox:latest"), r.out());
        }
      }
      Path m = mirrored.writeManifest("seed.yaml", Files.readString(
          Path.of(System.getProperty("peapod.repo", "..")).resolve("examples/two-containers-pod.yaml")));
      mirrored.cli("apply", "-f", m.toString()).ok();
      assertTrue(mirrored.eventually(() -> mirrored.cli("logs", "two-containers").out().contains("first container")));
    }
  }

  @Test
  void tlsWithOwnCaAndBasicAuth_pullsOnlyWithBoth() throws Exception {
    push("team/private", "v1", "behind-tls-and-auth");
    try (LocalRegistry secure = LocalRegistry.startSecure(registry)) {
      String ref = secure.host() + "/team/private:v1";
      String host = "\"" + secure.host() + "\": {\"insecure\": false";
      String ca = ", \"ca\": \"" + secure.storage.resolve("ca.pem") + "\"";
      try (TestDaemon noCa = TestDaemon.startWithRegistries("{\"registries\": {" + host + "}}}")) {
        CliResult r = noCa.cli("image", "pull", ref);
        assertEquals(7, r.exitCode(), "an unknown CA is refused: " + r.err());
      }
      try (TestDaemon noAuth = TestDaemon.startWithRegistries("{\"registries\": {" + host + ca + "}}}")) {
        CliResult r = noAuth.cli("image", "pull", ref);
        assertEquals(5, r.exitCode(), r.err());
        assertTrue(r.err().contains("unauthorized"), r.err());
      }
      try (TestDaemon both = TestDaemon.startWithRegistries("{\"registries\": {" + host + ca
          + ", \"username\": \"user\", \"password\": \"secret\"}}}")) {
        assertTrue(both.cli("image", "pull", ref).ok().out().contains("pulled " + ref));
      }
    }
  }

  @Test
  void registryKilledMidPull_leavesNoPartialBlob_andTheNextPullCompletes() throws Exception {
    byte[] big = new byte[48 << 20];
    new Random(7).nextBytes(big);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("big.bin", new String(big, StandardCharsets.ISO_8859_1));
    byte[] layer = Archives.layer(files);
    byte[] config = Archives.config("[\"sh\"]", Archives.sha256(layer)).getBytes(StandardCharsets.UTF_8);
    registry.pushBlob("team/big", layer);
    registry.pushBlob("team/big", config);
    registry.pushManifest("team/big", "v1", "application/vnd.oci.image.manifest.v1+json",
        manifest(config, desc("application/vnd.oci.image.layer.v1.tar", layer)));
    String ref = registry.host() + "/team/big:v1";
    Path ingest = daemon.root.resolve("state/content/ingest");
    Path blob = daemon.root.resolve("state/content/blobs/sha256/" + Archives.sha256(layer));
    Path unpacked = daemon.root.resolve("state/layers/" + Archives.sha256(layer));
    try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
      Future<CliResult> pull = pool.submit(() -> daemon.cli("image", "pull", ref));
      assertTrue(daemon.eventually(() -> {
        try (var s = Files.list(ingest)) {
          return s.findAny().isPresent();
        } catch (IOException e) {
          return false;
        }
      }), "the download started");
      registry.kill();
      CliResult r = pull.get();
      assertTrue(r.exitCode() != 0, "the pull fails: " + r.out());
    } finally {
      registry.restart();
    }
    try (var s = Files.list(ingest)) {
      assertEquals(0, s.count(), "no partial download is kept");
    }
    assertTrue(!Files.exists(blob) && !Files.exists(unpacked), "nothing of the cut layer is visible");
    assertTrue(daemon.cli("image", "pull", ref).ok().out().contains("pulled " + ref));
    assertTrue(Files.exists(blob) && Files.exists(unpacked.resolve("big.bin")));
    daemon.cli("image", "rm", ref).ok();
  }
}
