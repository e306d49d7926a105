/// A small JSON codec with no dependencies: peapod's API, OCI configs, image manifests and CNI results
/// all go through it. Values are plain `Map` (insertion-ordered), `List`, `String`, `Long`, `Double`,
/// `Boolean` and `null`; [io.peapod.base.json.JsonNode] gives typed, null-safe reads over them.
package io.peapod.base.json;
