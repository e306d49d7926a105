/// The DaemonSet controller on one node: exactly one pod of the template, replaced when the template
/// changes (unless `OnDelete`).
package io.peapod.controllers.daemonset;
