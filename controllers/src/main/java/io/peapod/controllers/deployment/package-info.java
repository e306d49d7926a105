/// The Deployment controller: one ReplicaSet per template revision, rolled from old to new by
/// `RollingUpdate` (within `maxSurge` and `maxUnavailable`) or `Recreate`, with a revision history.
package io.peapod.controllers.deployment;
