/// Admitting pod objects: creating one, updating one within what the API server allows (images,
/// deadline, metadata), changing its owner references, each under the pod name's lock, and asking
/// for pods' deletion.
package io.peapod.kubelet.admission;
