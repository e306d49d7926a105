package io.peapod.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParsedArgsTest {
  private static final List<Flag> FLAGS = List.of(Flag.value("", "-c", "--container"), Flag.bool("", "-i", "--stdin"),
      Flag.bool("", "-t", "--tty"), Flag.value("", "--change"));

  @Test
  void parse_execStyle_flagsThenDoubleDash() {
    ParsedArgs a = ParsedArgs.parse(List.of("pod", "-c", "web", "-it", "--", "sh", "-c", "ls -l"), FLAGS);
    assertEquals("web", a.value("container", ""));
    assertTrue(a.has("stdin") && a.has("tty"));
    assertEquals(List.of("pod", "sh", "-c", "ls -l"), a.positionals());
  }

  @Test
  void parse_equalsForm_andRepeatedValues() {
    ParsedArgs a = ParsedArgs.parse(List.of("--container=x", "--change", "A", "--change=B", "-cweb"), FLAGS);
    assertEquals("web", a.value("container", ""));
    assertEquals(List.of("A", "B"), a.all("change"));
  }

  @Test
  void parse_unknownFlag_isAnError() {
    assertThrows(InvalidArgumentException.class, () -> ParsedArgs.parse(List.of("--colour"), FLAGS));
    assertThrows(InvalidArgumentException.class, () -> ParsedArgs.parse(List.of("-c"), FLAGS));
  }
}
