/// The `peapod` command line: picocli commands that call the daemon's own API on its unix socket and
/// render the answers. It holds no business logic and few dependencies, so it starts fast.
package io.peapod.cli;
