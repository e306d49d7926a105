package io.peapod.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionCommandTest {
  @Test
  void script_isValidBash_andNamesEveryVerbAndItsFlags() throws Exception {
    String script = new CompletionCommand(() -> List.of(new GetCommand(), new LogsCommand(), LabelCommand.label()))
        .script();
    assertTrue(script.contains("\"get logs label\""), script);
    assertTrue(script.contains("get) flags=\"") && script.contains("--show-labels") && script.contains("--overwrite"));
    Process p = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
    p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
  }
}
