package io.peapod.kubelet.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ExplainTest {
  @Test
  void fieldsBelowAPath_withTheirKinds_andWhatIsNotActedOn() {
    Explain.Result r = Explain.of("pod.spec.containers");
    assertEquals("Pod", r.kind());
    assertEquals("[]Object", r.type());
    assertTrue(r.fields().contains(new Explain.Field("securityContext", "Object", true)));
    assertTrue(r.fields().contains(new Explain.Field("env", "[]Object", true)));
    assertTrue(r.fields().contains(new Explain.Field("stdin", "value", true)), r.fields().toString());
    assertTrue(Explain.of("pod.spec.containers.securityContext").fields()
        .contains(new Explain.Field("seLinuxOptions", "value", false)));
    assertTrue(Explain.of("pod.spec.ephemeralContainers").fields()
        .contains(new Explain.Field("targetContainerName", "value", true)));
    assertFalse(Explain.of("pod.spec").fields().stream().filter(f -> f.name().equals("nodeName")).findFirst()
        .orElseThrow().actedOn());
    assertFalse(Explain.of("configmap").fields().stream().filter(f -> f.name().equals("immutable")).findFirst()
        .orElseThrow().actedOn());
    var e = assertThrows(InvalidArgumentException.class, () -> Explain.of("pod.spec.nope"));
    assertTrue(e.getMessage().contains("\"nope\""), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> Explain.of("service"));
  }
}
