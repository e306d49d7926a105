package io.peapod.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.controllers.object.Kind;
import io.peapod.controllers.object.WorkloadParser;
import io.peapod.kubelet.manifest.ManifestParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkloadParserTest {
  private final List<String> warnings = new ArrayList<>();

  private WorkloadParser.Parsed parse(String yaml) {
    Map<String, Object> obj = new ManifestParser().documents(yaml, "w.yaml").getFirst();
    return new WorkloadParser().parse(Kind.ofKindName((String) obj.get("kind")).orElseThrow(), obj, "w.yaml",
        warnings);
  }

  private String error(String yaml) {
    return assertThrows(InvalidArgumentException.class, () -> parse(yaml)).getMessage();
  }

  @Test
  void selectorMustMatchTemplateLabels() {
    String m = error("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: other}}
            spec: {containers: [{name: c, image: busybox}]}
        """);
    assertTrue(m.contains("spec.template.metadata.labels") && m.contains("app=web"), m);
  }

  @Test
  void jobNeedsOnFailureOrNever_andDeploymentAlways() {
    String m = error("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: j}
        spec:
          template:
            spec: {containers: [{name: c, image: busybox}]}
        """);
    assertTrue(m.contains("spec.template.spec.restartPolicy") && m.contains("OnFailure or Never"), m);
    m = error("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata: {name: r}
        spec:
          selector: {matchLabels: {a: b}}
          template:
            metadata: {labels: {a: b}}
            spec: {restartPolicy: Never, containers: [{name: c, image: busybox}]}
        """);
    assertTrue(m.contains("'Never' must be Always"), m);
  }

  @Test
  void volumeClaimTemplatesAreRefusedWithAReason() {
    String m = error("""
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {a: b}}
          volumeClaimTemplates: [{metadata: {name: data}}]
          template:
            metadata: {labels: {a: b}}
            spec: {containers: [{name: c, image: busybox}]}
        """);
    assertTrue(m.contains("spec.volumeClaimTemplates") && m.contains("hostPath or emptyDir"), m);
  }

  @Test
  void ignoredAndUnknownFieldsAreWarnedAboutByName() {
    parse("""
        apiVersion: batch/v1
        kind: Job
        metadata: {name: j}
        spec:
          podFailurePolicy: {rules: []}
          completionz: 3
          template:
            spec: {restartPolicy: Never, bogus: 1, containers: [{name: c, image: busybox}]}
        """);
    assertTrue(warnings.stream().anyMatch(w -> w.contains("\"spec.podFailurePolicy\" is accepted but not acted on")),
        warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("unknown field \"spec.completionz\"")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("unknown field \"spec.bogus\"")), warnings.toString());
    warnings.clear();
    parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, finalizers: [x]}
        spec:
          strategy: {rollingUpdate: {maxSurg: 2}}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: busybox}]}
        """);
    assertTrue(warnings.stream().anyMatch(w -> w.contains("unknown field \"metadata.finalizers\"")),
        warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("unknown field \"spec.strategy.rollingUpdate.maxSurg\"")),
        warnings.toString());
  }

  @Test
  void rollingUpdateBoundsAndDefaults() {
    var p = parse("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          selector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: busybox}]}
        """);
    var spec = (io.peapod.controllers.object.WorkloadSpec.DeploymentSpec) p.spec();
    assertEquals(1, spec.maxSurge().of(4, true));
    assertEquals(1, spec.maxUnavailable().of(4, false));
    assertEquals(10, spec.revisionHistoryLimit());
    String m = error("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          strategy: {rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: c, image: busybox}]}
        """);
    assertTrue(m.contains("may not be 0 when maxSurge is 0"), m);
  }
}
