/// The work queue every controller runs on: workloads are synced one at a time, when something about
/// them changed, when they asked to be looked at again, and at every resync period.
package io.peapod.controllers.loop;
