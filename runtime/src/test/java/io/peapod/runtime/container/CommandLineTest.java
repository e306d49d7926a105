package io.peapod.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.manifest.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/// Kubernetes' rules for command and args against the image's Entrypoint and Cmd.
class CommandLineTest {
  private static final ImageConfig IMAGE = new ImageConfig("amd64", "linux", "", List.of(), List.of("/entry"),
      List.of("default-arg"), "", Map.of(), "", List.of(), "");

  @Test
  void neither_usesEntrypointAndCmd() {
    assertEquals(List.of("/entry", "default-arg"), ContainerSpecs.commandLine(IMAGE, List.of(), List.of(), "c"));
  }

  @Test
  void argsOnly_replaceCmd() {
    assertEquals(List.of("/entry", "x"), ContainerSpecs.commandLine(IMAGE, List.of(), List.of("x"), "c"));
  }

  @Test
  void command_replacesEntrypointAndDropsCmd() {
    assertEquals(List.of("sh", "y"), ContainerSpecs.commandLine(IMAGE, List.of("sh"), List.of("y"), "c"));
    assertEquals(List.of("sh"), ContainerSpecs.commandLine(IMAGE, List.of("sh"), List.of(), "c"));
  }

  @Test
  void nothingAnywhere_isAnError() {
    ImageConfig empty = new ImageConfig("", "", "", List.of(), List.of(), List.of(), "", Map.of(), "", List.of(), "");
    assertThrows(InvalidArgumentException.class, () -> ContainerSpecs.commandLine(empty, List.of(), List.of(), "c"));
  }
}
