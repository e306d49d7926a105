/// [io.peapod.cli.client.ApiClient]: HTTP/1.1 over a unix socket, with no HTTP library (a cold JVM must answer
/// `get pods` in well under 100 ms), connected through the CLI's own socket library when the launcher names it.
package io.peapod.cli.client;
