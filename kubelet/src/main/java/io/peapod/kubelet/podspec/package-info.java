/// A pod's manifest turned into what the runtime is asked for ([io.peapod.kubelet.podspec.RuntimeConfigs]):
/// the sandbox config with its namespaces, ports and DNS ([io.peapod.kubelet.podspec.PodDns]), and each
/// container's config with resources by QoS class ([io.peapod.kubelet.podspec.PodResources]).
package io.peapod.kubelet.podspec;
