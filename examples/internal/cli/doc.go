// Package cli holds the command-line plumbing the example programs share:
// a main that runs the program's run function until SIGINT or SIGTERM, and
// the exit statuses of flag parsing.
package cli
