package io.peapod.cri.service;

import io.peapod.cri.v1.RuntimeCondition;
import io.peapod.cri.v1.RuntimeFeatures;
import io.peapod.cri.v1.RuntimeHandler;
import io.peapod.cri.v1.RuntimeHandlerFeatures;
import io.peapod.cri.v1.RuntimeStatus;
import io.peapod.cri.v1.StatusResponse;
import io.peapod.cri.v1.UpdateRuntimeConfigRequest;
import io.peapod.cri.v1.UpdateRuntimeConfigResponse;
import java.lang.System.Logger;
import java.util.Optional;

/// `Status` and `UpdateRuntimeConfig`: the two conditions kubelet requires (RuntimeReady, NetworkReady),
/// and the one handler peapod has, with what it cannot do (no recursive read-only mounts, no user
/// namespaces with runc 1.1.5).
final class RuntimeConditions {
  private static final Logger LOG = System.getLogger(RuntimeConditions.class.getName());

  private RuntimeConditions() {}

  static StatusResponse status(Optional<String> networkProblem, boolean verbose,
      CriRuntimeService.Identity identity) {
    RuntimeCondition network = RuntimeCondition.newBuilder().setType("NetworkReady")
        .setStatus(networkProblem.isEmpty())
        .setReason(networkProblem.isEmpty() ? "" : "NetworkPluginNotReady")
        .setMessage(networkProblem.orElse("")).build();
    StatusResponse.Builder b = StatusResponse.newBuilder()
        .setStatus(RuntimeStatus.newBuilder()
            .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
            .addConditions(network))
        .addRuntimeHandlers(RuntimeHandler.newBuilder().setName("")
            .setFeatures(RuntimeHandlerFeatures.newBuilder().setRecursiveReadOnlyMounts(false)
                .setUserNamespaces(false)))
        .setFeatures(RuntimeFeatures.newBuilder().setSupplementalGroupsPolicy(false));
    if (verbose) {
      b.putInfo("runtime", identity.name() + " " + identity.version());
    }
    return b.build();
  }

  /// kubelet sends the node's pod CIDR; the pod range is the CNI configuration's, so it is only logged.
  static UpdateRuntimeConfigResponse updateRuntimeConfig(UpdateRuntimeConfigRequest r) {
    String cidr = r.getRuntimeConfig().getNetworkConfig().getPodCidr();
    if (!cidr.isEmpty()) {
      LOG.log(Logger.Level.INFO, "UpdateRuntimeConfig: pod CIDR {0} noted, not applied: the CNI configuration"
          + " (/etc/cni/net.d) decides the pod range", cidr);
    }
    return UpdateRuntimeConfigResponse.getDefaultInstance();
  }
}
