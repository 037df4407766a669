// Package cli wires cdstack's commands (urfave/cli/v2): one file per command,
// flags and environment variables, and exit codes.
//
// Exit codes: 0 success or no changes; 1 error; 2 changes pending (plan
// --detailed-exitcode) or drift found; 130 interrupted. Errors are printed
// once, on stderr, as "cdstack: <what>: <why>". Commands write through the
// io.Writers they are given, never os.Stdout directly, so tests and
// testscript scripts see everything.
package cli
