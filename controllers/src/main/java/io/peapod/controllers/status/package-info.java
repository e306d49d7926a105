/// Pieces of workload status every controller writes the same way: conditions with transition times.
package io.peapod.controllers.status;
