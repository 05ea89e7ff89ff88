package reactor

import "runtime/debug"

func newPanicError(v any) *PanicError { return &PanicError{Value: v, Stack: debug.Stack()} }
