package io.peapod.kubelet.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerConfigTest {
  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void authAndUsernameForms_keyedByHost() {
    String auth = Base64.getEncoder().encodeToString(json("user:pa:ss"));
    Map<String, Credentials> c = DockerConfig.parse(json("""
        {"auths": {"https://index.docker.io/v1/": {"auth": "%s"},
                   "http://127.0.0.1:5000": {"username": "u", "password": "p"}}}
        """.formatted(auth)), "secret default/x");
    assertEquals(new Credentials("user", "pa:ss"), c.get("docker.io"));
    assertEquals(new Credentials("u", "p"), c.get("127.0.0.1:5000"));
  }

  @Test
  void unusableConfig_namesTheSecret() {
    var e = assertThrows(InvalidArgumentException.class,
        () -> DockerConfig.parse(json("{\"auths\": {\"r\": {}}}"), "secret default/x"));
    assertTrue(e.getMessage().startsWith("secret default/x: auths.r"), e.getMessage());
    assertThrows(InvalidArgumentException.class, () -> DockerConfig.parse(json("{}"), "secret default/x"));
    assertThrows(InvalidArgumentException.class, () -> DockerConfig.parse(json("nope"), "secret default/x"));
  }
}
