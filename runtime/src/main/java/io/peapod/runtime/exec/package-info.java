/// Commands in running containers through the OCI runtime's `exec`: collected with a timeout for probes
/// and hooks ([io.peapod.runtime.exec.ExecManager#execSync]), or streamed with pipes or on a terminal the
/// daemon allocates ([io.peapod.runtime.exec.TerminalExec]).
package io.peapod.runtime.exec;
