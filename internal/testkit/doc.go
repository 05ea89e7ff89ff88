// Package testkit holds helpers shared by the project's tests: counting the
// process's open file descriptors (to prove nothing leaks) and re-running
// the test binary as a child process (for tests that must change
// process-wide state such as RLIMIT_NOFILE). It is for tests only.
package testkit
