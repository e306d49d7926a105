/// Reading container logs as `kubectl logs` does ([io.peapod.kubelet.logs.ContainerLogReader]): across
/// rotated files, from the end for `--tail`, after a time for `--since`, following with bounded memory.
package io.peapod.kubelet.logs;
