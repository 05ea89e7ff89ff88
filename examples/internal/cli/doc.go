// Package cli holds the command-line plumbing the example programs share:
// a main that runs the program's run function until SIGINT or SIGTERM; a
// Command (a flag set with the program's usage line) whose Exit turns any
// usage error into exit status 2 with the usage line; and the checks of
// flag values (ports, host:port, ranges, durations, choices), so that every
// mistake on the command line is a usage error, not a runtime one.
package cli
