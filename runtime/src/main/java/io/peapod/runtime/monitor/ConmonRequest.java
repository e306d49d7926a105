package io.peapod.runtime.monitor;

import io.peapod.runtime.api.ContainerStdio;
import java.nio.file.Path;

/// One container for conmon to create and watch: its bundle (with `config.json`), its CRI log file and
/// the size at which conmon starts that file afresh (0: never), the directory conmon writes the exit
/// code file into, and where attach sockets go. `shortId` names the attach socket's directory, short
/// enough for a unix socket path (108 bytes). `stdio` says whether conmon keeps the container's input
/// open for attach clients and runs it on a terminal.
public record ConmonRequest(String containerId, String name, Path bundle, Path logFile, long logSizeMax,
    Path exitDir, Path socketDir, String shortId, ContainerStdio stdio) {}
