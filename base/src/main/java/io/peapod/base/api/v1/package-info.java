/// The API's documents as typed records, written by the daemon and read by the CLI and the web page
/// through [io.peapod.base.json.JsonRecords]: a field renamed here is renamed on both sides. Names follow
/// Kubernetes' v1 objects (`metadata`, `status.containerStatuses`) so `-o yaml|json` reads familiar;
/// fields peapod adds (the pause pid, the netns pin) sit beside them.
package io.peapod.base.api.v1;
