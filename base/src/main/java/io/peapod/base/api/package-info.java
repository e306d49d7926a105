/// The wire contract of peapod's own API shared by daemon and CLI: default socket path and the framing
/// of exec's upgraded stream. The routes themselves are documented in docs/api.md.
package io.peapod.base.api;
