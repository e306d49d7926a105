/// How the CLI prints: kubectl-style aligned tables, ages (`5s`, `3m`, `2d`), and YAML or JSON views
/// of the API's answers for `-o yaml|json`.
package io.peapod.cli.output;
