/// Static pods, as kubelet's `staticPodPath`: [io.peapod.kubelet.staticpod.StaticPodSource] watches a
/// directory of manifests and makes the kubelet run, replace and delete their pods as files come, change
/// and go. Such pods cannot be deleted through the API.
package io.peapod.kubelet.staticpod;
