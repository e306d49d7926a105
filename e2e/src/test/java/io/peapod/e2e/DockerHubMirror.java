package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

/// One registry on loopback for the whole test run, serving `library/busybox:latest` made by the
/// project's script: every test daemon uses it as its docker.io mirror, so manifests saying
/// `image: busybox` (pull policy Always) run as they do on a user's node, and no test reaches the internet.
final class DockerHubMirror {
  private static LocalRegistry registry;

  private DockerHubMirror() {}

  /// `127.0.0.1:PORT`, starting the registry and loading busybox on first use.
  static synchronized String host() throws Exception {
    if (registry == null) {
      LocalRegistry r = LocalRegistry.start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          r.close();
        } catch (Exception e) {
          System.err.println("stopping the test docker.io mirror: " + e);
        }
      }));
      Path layout = Files.createTempDirectory("peapod-it-busybox").resolve("oci");
      Path repo = Path.of(System.getProperty("peapod.repo", ".."));
      run("bash", repo.resolve("scripts/make-busybox-image.sh").toString(), layout.toString());
      run("skopeo", "copy", "-q", "--dest-tls-verify=false", "oci:" + layout + ":latest",
          "docker://" + r.host() + "/library/busybox:latest");
      run("rm", "-rf", layout.getParent().toString());
      registry = r;
    }
    return registry.host();
  }

  /// The registries config entry that makes this registry docker.io's mirror.
  static String registriesEntry() throws Exception {
    return "\"docker.io\": {\"mirrors\": [\"http://" + host() + "\"]}";
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed");
  }
}
