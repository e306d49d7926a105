/// Pod network namespaces. Each pod's netns is created on a dedicated OS thread (unshare), pinned by
/// bind-mounting `/proc/thread-self/ns/net` onto `<run>/netns/<sandbox-id>`, and its loopback brought
/// up, before the pause container starts; containers join it by that path. The pin outlives the
/// daemon; teardown unmounts and deletes it.
package io.peapod.runtime.network;
