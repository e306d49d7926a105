/// Garbage collection by owner references: what a deleted workload owned goes too, and a workload
/// deleted in the foreground goes once what it owns is gone.
package io.peapod.controllers.gc;
