/// `cp` between the node and a container, as kubectl does it: a tar stream through `exec`. Writing the
/// stream and reading it back are here, with the reader refusing any entry that would land outside
/// its destination.
package io.peapod.cli.copy;
