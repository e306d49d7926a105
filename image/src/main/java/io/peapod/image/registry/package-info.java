/// Pulling images from registries that speak the OCI distribution spec (Docker registry API v2):
/// per-host settings in the spirit of containerd's hosts.toml ([io.peapod.image.registry.RegistryConfig]),
/// the HTTP client with the WWW-Authenticate bearer and basic flows, and [io.peapod.image.registry.ImagePuller],
/// which verifies every byte against its digest and unpacks layers while they download.
package io.peapod.image.registry;
