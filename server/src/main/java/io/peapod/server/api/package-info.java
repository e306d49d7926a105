/// Peapod's own API (JSON over HTTP on `peapod.sock`): routes for apply, pods, logs, exec, namespaces
/// and images, the one error translation ([io.peapod.server.api.ApiErrors]) and the JSON shapes.
/// The route table is documented in docs/api.md.
package io.peapod.server.api;
