package io.peapod.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.sys.proc.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/// Pods whose images are not in the store, as kubelet's image manager treats them: pulled by policy
/// (IfNotPresent, Always, Never), waiting with ErrImagePull, ImagePullBackOff or ErrImageNeverPull and
/// the registry's reason while they cannot be, and started by a later sync once they can. Pull secrets
/// (`imagePullSecrets` naming a `kubernetes.io/dockerconfigjson` Secret) authenticate a pod's pulls.
class PodImagePullIT extends SharedRegistry {
  private static void push(String repo, String marker) throws Exception {
    push(repo, "v1", marker);
  }

  private static CliResult apply(TestDaemon d, String name, String yaml) throws Exception {
    return d.cli("apply", "-f", d.writeManifest(name + ".yaml", yaml).toString());
  }

  private static String pod(String name, String image, String policy) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
        spec:
          containers:
          - name: app
            image: %s
        %s""".formatted(name, image, policy.isEmpty() ? "" : "    imagePullPolicy: " + policy + "\n");
  }

  /// Whether the pod's container runs (its init is alive in /proc) and has printed `marker`.
  private static boolean runs(TestDaemon d, String pod, String marker) {
    int pid = d.pid(pod, "app");
    return pid > 0 && ProcFs.HOST.isAlive(pid) && d.cli("logs", pod).out().contains(marker);
  }

  @Test
  void ifNotPresent_pullsAMissingImageOnce_alwaysPullsTheTagAgain() throws Exception {
    push("team/app", "first-push");
    String image = registry.host() + "/team/app:v1";
    apply(daemon, "ifnp", pod("ifnp", image, "")).ok();
    assertTrue(daemon.eventually(() -> runs(daemon, "ifnp", "first-push")), "pulled by the pod and running");
    assertTrue(daemon.cli("image", "ls").ok().out().contains(registry.host() + "/team/app"));

    push("team/app", "second-push");
    apply(daemon, "ifnp2", pod("ifnp2", image, "IfNotPresent")).ok();
    assertTrue(daemon.eventually(() -> runs(daemon, "ifnp2", "first-push")), "IfNotPresent uses the stored image");
    apply(daemon, "always", pod("always", image, "Always")).ok();
    assertTrue(daemon.eventually(() -> runs(daemon, "always", "second-push")), "Always asks the registry again");
    for (String p : List.of("ifnp", "ifnp2", "always")) {
      daemon.cli("delete", "pod", p, "--now").ok();
    }
  }

  /// The layers on disk whose `/etc/marker` says `marker`.
  private static List<Path> layersWith(String marker) throws Exception {
    try (var s = Files.list(daemon.root.resolve("state/layers"))) {
      return s.filter(l -> {
        try {
          return Files.readString(l.resolve("etc/marker")).contains(marker);
        } catch (IOException none) {
          return false;
        }
      }).toList();
    }
  }

  @Test
  void tagMovedWhileAPodRunsTheOldImage_pruneKeepsTheOldLayers_untilThePodIsGone() throws Exception {
    push("team/moving", "old-content");
    String image = registry.host() + "/team/moving:v1";
    apply(daemon, "old", pod("old", image, "IfNotPresent")).ok();
    assertTrue(daemon.eventually(() -> runs(daemon, "old", "old-content")));
    push("team/moving", "new-content");
    daemon.cli("image", "pull", image).ok();
    daemon.cli("image", "prune").ok();
    assertEquals(1, layersWith("old-content").size(), "the running pod's layer is kept though no name points at it");
    assertTrue(daemon.cli("exec", "old", "--", "cat", "/etc/marker").ok().out().contains("old-content"));
    daemon.cli("delete", "pod", "old", "--now").ok();
    daemon.cli("image", "prune").ok();
    assertEquals(List.of(), layersWith("old-content"), "once the pod is gone, so is its layer");
  }

  @Test
  void never_withoutTheImage_waitsWithErrImageNeverPull_untilTheImageIsThere() throws Exception {
    push("team/never", "never-pulled-by-the-pod");
    String image = registry.host() + "/team/never:v1";
    apply(daemon, "never", pod("never", image, "Never")).ok();
    var w = daemon.awaitWaiting("never", "app", "ErrImageNeverPull");
    assertTrue(w.get("message").text("").contains(image), String.valueOf(w.raw()));
    assertTrue(daemon.cli("get", "pod", "never").ok().out().contains("ErrImageNeverPull"));
    assertEquals(0, daemon.pid("never", "app"), "no container was made");
    assertFalse(daemon.cli("image", "ls").ok().out().contains("team/never"), "and nothing was pulled");

    daemon.cli("image", "pull", image).ok();
    assertTrue(daemon.eventually(() -> runs(daemon, "never", "never-pulled-by-the-pod")),
        "a later sync starts the container once the image is stored");
    daemon.cli("delete", "pod", "never", "--now").ok();
  }

  @Test
  void missingImage_errImagePull_thenImagePullBackOff_thenRunsOncePushed() throws Exception {
    String image = registry.host() + "/team/later:v1";
    apply(daemon, "later", pod("later", image, "")).ok();
    assertTrue(daemon.eventually(() -> daemon.events("later").contains("Error: ErrImagePull")),
        "the failed pull is an event");
    assertTrue(daemon.events("later").contains("MANIFEST_UNKNOWN"), "with the registry's reason");
    assertTrue(daemon.eventually(() -> daemon.cli("get", "pod", "later").out().contains("ImagePullBackOff")),
        "between attempts the pod is in back-off");

    push("team/later", "pushed-later");
    assertTrue(daemon.eventually(Duration.ofSeconds(20), () -> runs(daemon, "later", "pushed-later")),
        "the next attempt after the back-off pulls it");
    daemon.cli("delete", "pod", "later", "--now").ok();
  }

  @Test
  void imageArrivingLater_withoutTheCommand_cannotRun_andIsRestartedWithBackOff() throws Exception {
    String image = registry.host() + "/team/nocmd:v1";
    apply(daemon, "nocmd", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: nocmd
        spec:
          containers:
          - name: app
            image: %s
            command: ['/no/such/program']
        """.formatted(image)).ok();
    assertTrue(daemon.eventually(() -> daemon.events("nocmd").contains("Error: ErrImagePull")));
    push("team/nocmd", "never-printed");
    assertTrue(daemon.eventually(Duration.ofSeconds(20),
        () -> daemon.waiting("nocmd", "app").get("reason").text("").equals("CrashLoopBackOff")));
    var last = daemon.container("nocmd", "app").get("lastState").get("terminated");
    assertEquals("ContainerCannotRun", last.get("reason").text(""), String.valueOf(last.raw()));
    assertEquals(128, last.get("exitCode").asLong(0));
    assertTrue(last.get("message").text("").contains("/no/such/program"), "runc's reason: " + last.raw());
    assertEquals(0, daemon.pid("nocmd", "app"), "nothing runs");
    assertTrue(daemon.cli("get", "pod", "nocmd").ok().out().contains("CrashLoopBackOff"));
    daemon.cli("delete", "pod", "nocmd", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void deletingAPodInBackOff_leavesNothing() throws Exception {
    apply(daemon, "stuck", pod("stuck", registry.host() + "/team/nowhere:v1", "")).ok();
    assertTrue(daemon.eventually(() -> daemon.cli("get", "pod", "stuck").out().contains("ImagePullBackOff")));
    daemon.cli("delete", "pod", "stuck", "--now").ok();
    assertEquals(List.of(), daemon.leftovers());
  }

  @Test
  void imagePullSecrets_authenticateThePodsPulls() throws Exception {
    push("team/private", "behind-auth");
    try (LocalRegistry secure = LocalRegistry.startSecure(registry);
        TestDaemon d = TestDaemon.startWithRegistries("{\"registries\": {\"" + secure.host()
            + "\": {\"insecure\": false, \"ca\": \"" + secure.storage.resolve("ca.pem") + "\"}}}")) {
      String image = secure.host() + "/team/private:v1";
      apply(d, "anonymous", pod("anonymous", image, "")).ok();
      assertTrue(d.eventually(() -> d.events("anonymous").contains("Error: ErrImagePull")));
      assertTrue(d.events("anonymous").contains("unauthorized"), d.events("anonymous"));

      String auth = Base64.getEncoder().encodeToString("user:secret".getBytes(StandardCharsets.UTF_8));
      String dockerConfig = Base64.getEncoder().encodeToString(("{\"auths\": {\"" + secure.host() + "\": {\"auth\": \""
          + auth + "\"}}}").getBytes(StandardCharsets.UTF_8));
      String withSecret = """
          apiVersion: v1
          kind: Secret
          metadata:
            name: regcred
          type: kubernetes.io/dockerconfigjson
          data:
            .dockerconfigjson: %s
          ---
          apiVersion: v1
          kind: Pod
          metadata:
            name: authorized
          spec:
            imagePullSecrets:
            - name: regcred
            containers:
            - name: app
              image: %s
          """.formatted(dockerConfig, image);
      String out = apply(d, "authorized", withSecret).ok().out();
      assertTrue(out.contains("secret/regcred created") && out.contains("pod/authorized created"), out);
      assertTrue(d.eventually(() -> runs(d, "authorized", "behind-auth")), "the secret's credentials pulled it");
      String listed = d.cli("get", "secrets").ok().out();
      assertTrue(listed.contains("regcred") && listed.contains("kubernetes.io/dockerconfigjson"), listed);
      String asJson = d.cli("get", "secrets", "-o", "json").ok().out();
      assertFalse(asJson.contains(auth) || asJson.contains(dockerConfig), "values never leave the daemon: " + asJson);

      apply(d, "wrongsecret", """
          apiVersion: v1
          kind: Pod
          metadata:
            name: wrongsecret
          spec:
            imagePullSecrets: [{name: nosuch}]
            containers:
            - name: app
              image: %s
              imagePullPolicy: Always
          """.formatted(image)).ok();
      assertTrue(d.eventually(() -> d.waiting("wrongsecret", "app").get("message").text("")
          .contains("image pull secrets not found: nosuch")), () -> String.valueOf(d.waiting("wrongsecret", "app").raw()));
      Path manifest = d.root.resolve("authorized.yaml");
      assertTrue(d.cli("delete", "-f", manifest.toString(), "--now").ok().out().contains("secret/regcred deleted"));
    }
  }
}
