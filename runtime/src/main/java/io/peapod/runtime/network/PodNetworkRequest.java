package io.peapod.runtime.network;

import io.peapod.runtime.api.PortMapping;
import java.util.List;

/// The pod a network call is for: CNI's container id (the sandbox id), the pinned netns, the
/// Kubernetes identity passed in `CNI_ARGS`, and the ports to publish.
public record PodNetworkRequest(String sandboxId, String netnsPath, String podName, String podNamespace,
    String podUid, List<PortMapping> portMappings) {
  public PodNetworkRequest {
    portMappings = List.copyOf(portMappings);
  }

  String cniArgs() {
    return "IgnoreUnknown=1;K8S_POD_NAMESPACE=" + podNamespace + ";K8S_POD_NAME=" + podName
        + ";K8S_POD_INFRA_CONTAINER_ID=" + sandboxId + ";K8S_POD_UID=" + podUid;
  }
}
