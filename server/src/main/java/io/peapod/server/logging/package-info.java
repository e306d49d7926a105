/// The daemon's log backend: `System.Logger` routed to java.util.logging with one JSON object per line
/// on stderr (journald and `jq` read it), so no other code depends on a logging library.
package io.peapod.server.logging;
