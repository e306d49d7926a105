/// ConfigMaps and Secrets applied with the pods (kept in the state database, which only root reads) and
/// what pods take from them: environment values, volume files, and registry credentials from
/// `kubernetes.io/dockerconfigjson` Secrets named in `imagePullSecrets`.
package io.peapod.kubelet.data;
