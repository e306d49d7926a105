/// The controllers layer: Job, ReplicaSet, Deployment, DaemonSet and StatefulSet as level-driven
/// loops over pod objects. Controllers meet the kubelet only through pods ([io.peapod.controllers.pods.Pods]).
package io.peapod.controllers;
