package io.peapod.kubelet.manifest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.testing.Mutations;
import java.util.Random;
import org.junit.jupiter.api.Test;

/// Seeded fuzzing of what the API parses from users: manifests (YAML, and JSON which is YAML too) and
/// JSON request bodies. A mutated input either parses or is an [InvalidArgumentException] with a
/// message (a 400); no other exception, no stack overflow, no hang. `-Dpeapod.fuzz.seed=N` repeats a run.
class ParserFuzzTest {
  private static final long SEED = Long.getLong("peapod.fuzz.seed", 20261203L);
  private static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels: {app: web}
      spec:
        restartPolicy: OnFailure
        initContainers:
        - name: init
          image: busybox
          command: ['sh', '-c', 'true']
        containers:
        - name: c
          image: busybox:1.36
          args: ["a", "b"]
          env: [{name: A, value: "1"}]
          ports: [{name: http, containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /ready, port: http}
            periodSeconds: 1
          lifecycle:
            preStop: {sleep: {seconds: 1}}
          volumeMounts: [{name: v, mountPath: /v, subPath: a/b}]
          resources: {limits: {memory: 64Mi, cpu: 500m}}
        volumes:
        - name: v
          emptyDir: {}
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: s}
      stringData: {k: v}
      """;
  private static final String JSON_POD = """
      {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "j"},
       "spec": {"containers": [{"name": "c", "image": "busybox", "command": ["sleep", "1"]}]}}
      """;

  @Test
  void mutatedManifests_parseOrAreInvalidArguments() {
    ManifestParser parser = new ManifestParser();
    Random random = new Random(SEED);
    for (int i = 0; i < 5_000; i++) {
      String yaml = Mutations.mutate(random.nextBoolean() ? POD : JSON_POD, random);
      try {
        parser.parse(yaml, "fuzz.yaml");
      } catch (InvalidArgumentException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "case " + i);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("seed " + SEED + " case " + i + " threw " + e + " for:\n" + yaml, e);
      }
    }
  }

  @Test
  void deepNesting_isRefusedNotAStackOverflow() {
    ManifestParser parser = new ManifestParser();
    String deep = "a: " + "[".repeat(100_000);
    try {
      parser.parse(deep, "deep.yaml");
      throw new AssertionError("parsed");
    } catch (InvalidArgumentException e) {
      assertTrue(e.getMessage().contains("deep.yaml"), e.getMessage());
    }
    assertInvalidJson("[".repeat(100_000));
  }

  /// "Billion laughs": a few nested aliases that stand for a vast document are refused at once.
  @Test
  void nestedAliases_thatExpandToAVastDocument_areRefused() {
    StringBuilder y = new StringBuilder("a0: &a0 [" + "x, ".repeat(999) + "x]\n");
    for (int i = 1; i <= 15; i++) {
      y.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1)
          .append(", *a").append(i - 1).append("]\n");
    }
    y.append("kind: Pod\n");
    InvalidArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidArgumentException.class,
        () -> new ManifestParser().parse(y.toString(), "laughs.yaml"));
    assertTrue(e.getMessage().contains("aliases are expanded"), e.getMessage());
  }

  @Test
  void mutatedJsonBodies_parseOrAreInvalidArguments() {
    Random random = new Random(SEED);
    String body = "{\"container\": \"c\", \"command\": [\"sh\", \"-c\", \"echo \\u00e9\"], \"stdin\": true, \"n\": -1.5e3}";
    for (int i = 0; i < 20_000; i++) {
      String json = Mutations.mutate(body, random);
      try {
        Json.parse(json);
      } catch (InvalidArgumentException e) {
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "case " + i);
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("seed " + SEED + " case " + i + " threw " + e + " for: " + json, e);
      }
    }
  }

  private static void assertInvalidJson(String json) {
    try {
      Json.parse(json);
      throw new AssertionError("parsed");
    } catch (InvalidArgumentException e) {
      assertTrue(e.getMessage().contains("deep") || e.getMessage().contains("nest"), e.getMessage());
    }
  }
}
