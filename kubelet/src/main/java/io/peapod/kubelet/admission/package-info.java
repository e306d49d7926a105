/// Admitting pod objects: creating one, updating one within what the API server allows (images,
/// deadline, metadata), and changing its owner references, each under the pod name's lock.
package io.peapod.kubelet.admission;
