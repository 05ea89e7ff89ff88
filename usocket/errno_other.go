//go:build !unix

package usocket

// errnoKind has no table outside Unix: Windows reports WSAE codes that need
// their own table, which this port does not have yet. Errors there keep
// their standard form and match no socket class.
func errnoKind(error) error { return nil }

// acceptTemporary is false outside Unix; see errnoKind.
func acceptTemporary(error) bool { return false }
