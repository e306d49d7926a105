/// Peapod's closed set of error classes, one per gRPC status code, thrown by every layer.
/// Messages name the object that failed, lowercase, no final period; the server and the CLI map the
/// class to a status code or an exit code in exactly one place each.
package io.peapod.base.error;
