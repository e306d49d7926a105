/// The daemon's durable state: one SQLite file (`<state root>/peapod.db`, WAL mode) shared by the image
/// and runtime layers. Each owner (`images`, `runtime`, `kubelet`) migrates its own tables by version,
/// recorded in `schema_versions`; a layout change is a new migration step, never an edit of an old one.
package io.peapod.state;
