/// `apply -f` and `delete -f` across kinds: a file's objects are read and checked together, then
/// each goes to its owner (pods and secrets to the kubelet, workloads to their controllers).
package io.peapod.controllers.apply;
