package io.peapod.kubelet.manifest;

import java.util.Map;

/// A validated v1 Secret: `data` holds the decoded values (`stringData` merged over `data`, as the API
/// server does). Only `kubernetes.io/dockerconfigjson` secrets are used, by pods' `imagePullSecrets`.
public record SecretManifest(String name, String namespace, String type, Map<String, byte[]> data) {
  public static final String DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";

  public SecretManifest {
    data = Map.copyOf(data);
  }
}
