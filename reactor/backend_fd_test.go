//go:build !windows && !usocket_netstd

package reactor

import "testing"

// netUnsupported reports whether err is the net backend's refusal of a
// feature that needs raw descriptors. On the fd backends every such
// feature works, so it is false and the test goes on to check err.
func netUnsupported(*testing.T, error) bool { return false }

// reusePortOpts is WithReusePort where the backend has it.
var reusePortOpts = []ListenOption{WithReusePort()}

// eventsAreTasks: on the fd backends readiness comes from the kernel, not
// through the task queue, so Stats' TasksRun counts only queued work.
const eventsAreTasks = false
