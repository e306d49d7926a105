/// How controllers see and change pods: the [Pods] interface (the kubelet behind it in the daemon, a
/// fake in tests), the slim [PodInfo] they decide on, and the names they generate.
package io.peapod.controllers.pods;
