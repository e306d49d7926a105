/// Command-line parsing without reflection: each command declares its flags as data
/// ([io.peapod.cli.args.Flag]) and gets [io.peapod.cli.args.ParsedArgs] back. picocli was the first choice,
/// but its annotation scanning cost ~100 ms per start, more than the CLI's whole budget (docs/dev).
package io.peapod.cli.args;
