/// The runtime's request and status records, shaped after CRI v1 (`runtime.v1` api.proto):
/// sandbox and container configs, namespace options (POD / CONTAINER / NODE), resources,
/// security context, and statuses with attempt counts.
package io.peapod.runtime.api;
