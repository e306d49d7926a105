/// File-system helpers shared by the layers; [io.peapod.base.io.FileTrees] deletes directory trees
/// without ever following a symlink out of them.
package io.peapod.base.io;
