/// Attaching to a running container's own standard streams through its conmon's attach socket (CRI's
/// Attach): output as it comes, input when the container keeps stdin open, terminal resizes.
package io.peapod.runtime.attach;
