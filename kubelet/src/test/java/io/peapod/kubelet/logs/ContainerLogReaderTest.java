package io.peapod.kubelet.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.NotFoundException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerLogReaderTest {
  @TempDir Path dir;

  private String read(Path live, int tail, Optional<Instant> since) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ContainerLogReader.write(live, new ContainerLogReader.Options(tail, since, false, false), () -> false, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void tail_countsLinesNotRecords_joiningPartialRecords() throws IOException {
    Path live = dir.resolve("0.log");
    Files.writeString(live, """
        2026-12-03T10:00:00.000000000Z stdout F one
        2026-12-03T10:00:01.000000000Z stdout P tw
        2026-12-03T10:00:01.000000000Z stdout P o-
        2026-12-03T10:00:01.000000000Z stdout F two
        2026-12-03T10:00:02.000000000Z stdout F three
        """);
    assertEquals("three\n", read(live, 1, Optional.empty()));
    assertEquals("two-two\nthree\n", read(live, 2, Optional.empty()));
    assertEquals("one\ntwo-two\nthree\n", read(live, 3, Optional.empty()));
    assertEquals("one\ntwo-two\nthree\n", read(live, 10, Optional.empty()));
    assertEquals("", read(live, 0, Optional.empty()));
  }

  @Test
  void tail_reachesBackIntoRotatedFiles_andSinceSkipsOlderLines() throws IOException {
    Path live = dir.resolve("0.log");
    Files.writeString(dir.resolve("0.log.20261203-100000.000"), """
        2026-12-03T10:00:00.000000000Z stdout F a
        2026-12-03T10:00:01.000000000Z stderr P b
        """);
    Files.writeString(live, """
        2026-12-03T10:00:02.000000000Z stderr F c
        2026-12-03T10:00:03.000000000Z stdout F d
        """);
    assertEquals("bc\nd\n", read(live, 2, Optional.empty()));
    assertEquals("a\nbc\nd\n", read(live, -1, Optional.empty()));
    assertEquals("d\n", read(live, -1, Optional.of(Instant.parse("2026-12-03T10:00:03Z"))));
  }

  @Test
  void aLineStillBeingWritten_isShownButNotCounted() throws IOException {
    Path live = dir.resolve("0.log");
    Files.writeString(live, """
        2026-12-03T10:00:00.000000000Z stdout F done
        2026-12-03T10:00:01.000000000Z stdout P half
        """);
    assertEquals("done\nhalf", read(live, 1, Optional.empty()));
  }

  @Test
  void aMissingLog_isNotFound() {
    assertThrows(NotFoundException.class, () -> read(dir.resolve("9.log"), -1, Optional.empty()));
  }
}
