/// The daemon: [io.peapod.server.DaemonMain] parses flags and the config file, [io.peapod.server.Daemon]
/// is the one composition root that builds every component with explicit constructors, and serves
/// peapod's own API on `<run>/peapod.sock`.
package io.peapod.server;
