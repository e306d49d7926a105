/// The ReplicaSet controller: keeps `replicas` pods of the template running, replacing pods that end
/// or are deleted, removing the least useful ones when there are too many.
package io.peapod.controllers.replicaset;
