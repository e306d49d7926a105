/// The daemon's read-only web page (each pod's containers and which namespaces they share with the pause
/// container, live) and its Prometheus `/metrics`, served on a TCP address of the operator's choosing.
package io.peapod.server.web;
