package io.peapod.image.importer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.manifest.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigChangesTest {
  private static final ImageConfig BASE = new ImageConfig("amd64", "linux", "", List.of("PATH=/bin"), List.of(),
      List.of(), "", Map.of(), "", List.of(), "");

  @Test
  void apply_jsonAndShellForms_andEnvOverride() {
    ImageConfig c = ConfigChanges.apply(BASE, List.of("CMD [\"sh\"]", "ENTRYPOINT /bin/app --flag", "ENV PATH=/usr/bin",
        "WORKDIR /srv", "USER 1000:1000"));
    assertEquals(List.of("sh"), c.cmd());
    assertEquals(List.of("/bin/sh", "-c", "/bin/app --flag"), c.entrypoint());
    assertEquals(List.of("PATH=/usr/bin"), c.env());
    assertEquals("/srv", c.workingDir());
    assertEquals("1000:1000", c.user());
  }

  @Test
  void apply_unknownInstruction_isRefused() {
    assertThrows(InvalidArgumentException.class, () -> ConfigChanges.apply(BASE, List.of("RUN apt-get update")));
  }
}
