package io.peapod.image.ref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peapod.base.error.InvalidArgumentException;
import org.junit.jupiter.api.Test;

class ImageRefTest {
  @Test
  void parse_shortName_isDockerHubLibraryLatest() {
    assertEquals("docker.io/library/busybox:latest", ImageRef.parse("busybox").toString());
    assertEquals("busybox:latest", ImageRef.parse("busybox").familiar());
  }

  @Test
  void parse_userRepo_onDockerHub() {
    assertEquals("docker.io/team/app:v1", ImageRef.parse("team/app:v1").toString());
  }

  @Test
  void parse_registryWithPort_keepsDomainAndTag() {
    ImageRef r = ImageRef.parse("127.0.0.1:5000/team/app:v1");
    assertEquals("127.0.0.1:5000", r.domain());
    assertEquals("team/app", r.path());
    assertEquals("v1", r.tag().orElseThrow());
  }

  @Test
  void parse_digestOnly_hasNoDefaultTag() {
    String d = "sha256:" + "a".repeat(64);
    ImageRef r = ImageRef.parse("localhost/app@" + d);
    assertEquals("localhost/app@" + d, r.toString());
  }

  @Test
  void parse_uppercase_isRefused() {
    assertThrows(InvalidArgumentException.class, () -> ImageRef.parse("BusyBox"));
  }

  @Test
  void digest_badHex_isRefused() {
    assertThrows(InvalidArgumentException.class, () -> Digest.parse("sha256:xyz"));
  }
}
