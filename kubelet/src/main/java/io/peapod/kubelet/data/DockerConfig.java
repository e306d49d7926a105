package io.peapod.kubelet.data;

import io.peapod.base.error.InvalidArgumentException;
import io.peapod.base.json.Json;
import io.peapod.base.json.JsonNode;
import io.peapod.image.registry.RegistryConfig.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/// Reads a `.dockerconfigjson` (`{"auths": {"host": {"auth": base64(user:pass)} | {"username", "password"}}}`)
/// into credentials by registry host, with the keys docker writes (`https://index.docker.io/v1/`,
/// `http://127.0.0.1:5000`) reduced to the host names pulls use (`docker.io`, `127.0.0.1:5000`).
public final class DockerConfig {
  private DockerConfig() {}

  /// @param where names the secret, for errors
  public static Map<String, Credentials> parse(byte[] json, String where) {
    JsonNode auths;
    try {
      auths = Json.parseNode(new String(json, StandardCharsets.UTF_8)).get("auths");
    } catch (RuntimeException e) {
      throw new InvalidArgumentException(where + ": .dockerconfigjson is not JSON: " + e.getMessage(), e);
    }
    if (!auths.isObject()) {
      throw new InvalidArgumentException(where + ": .dockerconfigjson has no \"auths\" object");
    }
    Map<String, Credentials> out = new LinkedHashMap<>();
    for (String key : auths.keys()) {
      JsonNode a = auths.get(key);
      String user = a.get("username").text("");
      String pass = a.get("password").text("");
      if (a.has("auth")) {
        String decoded;
        try {
          decoded = new String(Base64.getDecoder().decode(a.get("auth").text("")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
          throw new InvalidArgumentException(where + ": auths." + key + ".auth is not base64", e);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
          throw new InvalidArgumentException(where + ": auths." + key + ".auth must encode user:password");
        }
        user = decoded.substring(0, colon);
        pass = decoded.substring(colon + 1);
      }
      if (user.isEmpty()) {
        throw new InvalidArgumentException(where + ": auths." + key + " has neither auth nor username");
      }
      out.putIfAbsent(host(key), new Credentials(user, pass));
    }
    return out;
  }

  static String host(String key) {
    String h = key.replaceFirst("^[a-z]+://", "");
    h = h.contains("/") ? h.substring(0, h.indexOf('/')) : h;
    return switch (h) {
      case "index.docker.io", "registry-1.docker.io" -> "docker.io";
      default -> h;
    };
  }
}
