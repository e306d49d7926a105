/// [io.peapod.cli.client.ApiClient]: HTTP/1.1 over a unix socket with the JDK alone (no HTTP library:
/// a cold JVM must answer `get pods` in well under 100 ms). Errors come back as peapod's error classes.
package io.peapod.cli.client;
