/// Secrets applied with the pods (kept in the state database) and what pods take from them: registry
/// credentials from `kubernetes.io/dockerconfigjson` secrets named in `imagePullSecrets`.
package io.peapod.kubelet.secret;
