package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/// Pulls from Debian's docker-registry on loopback: by tag and digest, an index resolved to this
/// node's platform, a corrupted blob refused with nothing stored, mirrors tried in order and then the
/// registry itself, two pulls of one image at once, a registry or the daemon killed mid-download, and
/// layers shared across registries.
class RegistryPullIT extends SharedRegistry {
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
  void corruptedBlob_shorterSameSizeOrLonger_isRefused_andNothingIsStored() throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("etc/bad", "original\n");
    byte[] tar = Archives.layer(files);
    byte[] layer = Archives.gzip(tar);
    byte[] config = Archives.config("[\"sh\"]", Archives.sha256(tar)).getBytes(StandardCharsets.UTF_8);
    registry.pushBlob("team/corrupt", layer);
    registry.pushBlob("team/corrupt", config);
    registry.pushManifest("team/corrupt", "v1", TestImages.OCI_MANIFEST,
        TestImages.manifest(config, TestImages.desc("application/vnd.oci.image.layer.v1.tar+gzip", layer)));
    byte[] flipped = layer.clone();
    flipped[flipped.length / 2] ^= 1;
    Map<String, byte[]> served = new LinkedHashMap<>();
    served.put("shorter", Arrays.copyOf(layer, layer.length - 10));
    served.put("same size", flipped);
    served.put("longer", Arrays.copyOf(layer, layer.length + 10));
    for (Map.Entry<String, byte[]> s : served.entrySet()) {
      Files.write(registry.blobData(Archives.sha256(layer)), s.getValue());
      CliResult r = daemon.cli("image", "pull", registry.host() + "/team/corrupt:v1");
      assertEquals(2, r.exitCode(), "a " + s.getKey() + " blob is not the blob: " + r.out() + r.err());
      assertFalse(daemon.cli("image", "ls").ok().out().contains("corrupt"));
      assertFalse(Files.exists(daemon.root.resolve("state/content/blobs/sha256/" + Archives.sha256(layer))));
      assertFalse(Files.exists(daemon.root.resolve("state/layers/" + Archives.sha256(tar))), s.getKey());
      assertEquals(List.of(), inFlight(daemon), s.getKey());
    }
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
        StringBuilder outputs = new StringBuilder();
        for (Future<CliResult> f : both) {
          CliResult r = f.get().ok();
          assertTrue(r.out().contains("failed on http://127.0.0.1:1"), "the dead mirror is tried first: " + r.out());
          assertTrue(r.out().contains("pulled docker.io/library/busybox:latest"), r.out());
          outputs.append(r.out());
        }
        assertEquals(2, outputs.toString().lines().filter(l -> l.matches("[0-9a-f]{12}: done.*")).count(),
            "each of the two layers is downloaded by one pull; the other finds it: " + outputs);
      }
      Path m = mirrored.writeManifest("seed.yaml", Files.readString(
          Path.of(System.getProperty("peapod.repo", "..")).resolve("examples/two-containers-pod.yaml")));
      mirrored.cli("apply", "-f", m.toString()).ok();
      assertTrue(mirrored.eventually(() -> mirrored.cli("logs", "two-containers").out().contains("first container")));
    }
  }

  @Test
  void mirrorsThatFailOrLackTheImage_fallBackToTheRegistryItself() throws Exception {
    push("team/upstream", "v1", "from-upstream");
    try (LocalRegistry emptyMirror = LocalRegistry.start();
        TestDaemon d = TestDaemon.startWithRegistries("{\"registries\": {\"" + registry.host() + "\": {\"mirrors\": ["
            + "\"http://127.0.0.1:1\", \"http://" + emptyMirror.host() + "\"]}}}")) {
      String ref = registry.host() + "/team/upstream:v1";
      String out = d.cli("image", "pull", ref).ok().out();
      assertTrue(out.contains("failed on http://127.0.0.1:1"), "the dead mirror first: " + out);
      assertTrue(out.contains("failed on http://" + emptyMirror.host()) && out.contains("not found"),
          "then the mirror without the image: " + out);
      assertTrue(out.contains("resolving at http://" + registry.host()) && out.contains("pulled " + ref),
          "then the registry itself: " + out);
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

  /// Pushes `repo:v1` with one layer of 32 MiB of random bytes, uncompressed (so its digest is its
  /// diff id), and returns the layer.
  private static byte[] pushBig(String repo, long seed) throws Exception {
    byte[] big = new byte[32 << 20];
    new Random(seed).nextBytes(big);
    Map<String, String> files = new LinkedHashMap<>();
    files.put("big.bin", new String(big, StandardCharsets.ISO_8859_1));
    byte[] layer = Archives.layer(files);
    byte[] config = Archives.config("[\"sh\"]", Archives.sha256(layer)).getBytes(StandardCharsets.UTF_8);
    registry.pushBlob(repo, layer);
    registry.pushBlob(repo, config);
    registry.pushManifest(repo, "v1", TestImages.OCI_MANIFEST,
        TestImages.manifest(config, TestImages.desc("application/vnd.oci.image.layer.v1.tar", layer)));
    return layer;
  }

  /// The layer store's unpacks in flight (`.tmp-*` directories) and the content store's writes.
  private static List<Path> inFlight(TestDaemon d) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path dir : List.of(d.root.resolve("state/layers"), d.root.resolve("state/content/ingest"))) {
      try (var s = Files.list(dir)) {
        s.filter(p -> !dir.endsWith("layers") || p.getFileName().toString().startsWith(".tmp-")).forEach(out::add);
      }
    }
    return out;
  }

  /// Whether a layer is being unpacked and has bytes on disk already: the pull is mid-download.
  private static boolean midDownload(TestDaemon d) {
    try (var s = Files.walk(d.root.resolve("state/layers"))) {
      return s.anyMatch(p -> p.toString().contains("/.tmp-") && p.endsWith("big.bin") && p.toFile().length() > 0);
    } catch (IOException | UncheckedIOException raced) {
      return false;
    }
  }

  @Test
  void registryKilledMidPull_leavesNoPartialLayer_andTheNextPullCompletes() throws Exception {
    byte[] layer = pushBig("team/big", 7);
    Path unpacked = daemon.root.resolve("state/layers/" + Archives.sha256(layer));
    try (ThrottledProxy slow = new ThrottledProxy(registry.port, 4 << 20)) {
      String ref = slow.host() + "/team/big:v1";
      try (ExecutorService pool = Executors.newSingleThreadExecutor()) {
        Future<CliResult> pull = pool.submit(() -> daemon.cli("image", "pull", ref));
        assertTrue(daemon.eventually(() -> midDownload(daemon)), "the download started");
        registry.kill();
        CliResult r = pull.get();
        assertEquals(7, r.exitCode(), "a cut download is 'unavailable', worth retrying: " + r.out() + r.err());
      } finally {
        registry.restart();
      }
      assertEquals(List.of(), inFlight(daemon), "no partial download is kept");
      assertFalse(Files.exists(unpacked), "nothing of the cut layer is visible");
      assertFalse(daemon.cli("image", "ls").ok().out().contains("team/big"));
    }
    String direct = registry.host() + "/team/big:v1";
    assertTrue(daemon.cli("image", "pull", direct).ok().out().contains("pulled " + direct), "the next pull completes");
    assertTrue(Files.exists(unpacked.resolve("big.bin")));
    assertFalse(Files.exists(daemon.root.resolve("state/content/blobs/sha256/" + Archives.sha256(layer))),
        "a pulled layer is kept unpacked only, not also as its blob");
    daemon.cli("image", "rm", direct).ok();
  }

  @Test
  void daemonKilledMidPull_nextDaemonStartsClean_andTheNextPullCompletes() throws Exception {
    byte[] layer = pushBig("team/big2", 8);
    Path unpacked;
    try (TestDaemon d = TestDaemon.start(); ThrottledProxy slow = new ThrottledProxy(registry.port, 4 << 20)) {
      unpacked = d.root.resolve("state/layers/" + Archives.sha256(layer));
      String ref = slow.host() + "/team/big2:v1";
      Thread pull = Thread.ofVirtual().start(() -> d.cli("image", "pull", ref));
      assertTrue(d.eventually(() -> midDownload(d)), "the download started");
      d.kill9();
      pull.join();
      assertFalse(inFlight(d).isEmpty(), "the killed daemon left its unpack in flight");
      d.startProcess();
      assertEquals(List.of(), inFlight(d), "the next daemon removed it at start");
      assertFalse(Files.exists(unpacked));
      assertFalse(d.cli("image", "ls").ok().out().contains("team/big2"));
      String direct = registry.host() + "/team/big2:v1";
      assertTrue(d.cli("image", "pull", direct).ok().out().contains("pulled " + direct), "the next pull completes");
      assertTrue(Files.exists(unpacked.resolve("big.bin")));
    }
  }

  @Test
  void imagesFromTwoRegistries_shareTheirCommonLayer() throws Exception {
    push("team/shared", "v1", "shared-marker");
    String first = registry.host() + "/team/shared:v1";
    try (LocalRegistry other = LocalRegistry.start()) {
      Map<String, String> files = new LinkedHashMap<>();
      files.put("etc/other", "only in the second image\n");
      byte[] top = Archives.layer(files);
      byte[] config = Archives.config("[\"sh\"]", Archives.sha256(busyboxLayer), Archives.sha256(top))
          .getBytes(StandardCharsets.UTF_8);
      byte[] busyboxGz = Archives.gzip(busyboxLayer);
      for (byte[] blob : List.of(busyboxGz, top, config)) {
        other.pushBlob("elsewhere/app", blob);
      }
      other.pushManifest("elsewhere/app", "v2", TestImages.OCI_MANIFEST, TestImages.manifest(config,
          TestImages.desc("application/vnd.oci.image.layer.v1.tar+gzip", busyboxGz),
          TestImages.desc("application/vnd.oci.image.layer.v1.tar", top)));
      daemon.cli("image", "pull", first).ok();
      String out = daemon.cli("image", "pull", other.host() + "/elsewhere/app:v2").ok().out();
      assertTrue(out.contains(Archives.sha256(busyboxGz).substring(0, 12) + ": exists"),
          "the busybox layer, gzipped this time, is known by its diff id and not fetched: " + out);
      Path base = daemon.root.resolve("state/layers/" + Archives.sha256(busyboxLayer));
      assertTrue(Files.exists(base.resolve("bin/busybox")));
      try (var s = Files.list(daemon.root.resolve("state/layers"))) {
        assertEquals(1, s.filter(p -> Files.exists(p.resolve("bin/busybox"))).count(), "one copy on disk");
      }
      daemon.cli("image", "rm", other.host() + "/elsewhere/app:v2").ok();
    }
    daemon.cli("image", "rm", first).ok();
  }
}
