/// One class per verb, kubectl's where kubectl has the verb (`apply`, `get`, `describe`, `logs`, `exec`,
/// `delete`) and nouns elsewhere (`image`, `ns`). Each parses flags, calls the API, and prints.
package io.peapod.cli.command;
