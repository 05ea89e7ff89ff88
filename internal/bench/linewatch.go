package bench

import (
	"bytes"
	"sync"
)

// maxLine bounds how much of an unterminated stdout line is kept.
const maxLine = 64 << 10

// listenResult is the outcome of the first "listening on" line.
type listenResult struct {
	addr string
	err  error
}

// lineWatcher is a server's stdout: it splits the stream into lines and
// delivers the first "listening on" line's address (or parse error) on found,
// once; everything else is discarded.
type lineWatcher struct {
	found chan listenResult // buffered; receives exactly one value at most

	mu      sync.Mutex
	partial []byte
	done    bool
}

func newLineWatcher() *lineWatcher {
	return &lineWatcher{found: make(chan listenResult, 1)}
}

// Write implements io.Writer; it never fails.
func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return len(p), nil
	}
	w.partial = append(w.partial, p...)
	for !w.done {
		line, rest, ok := bytes.Cut(w.partial, []byte("\n"))
		if !ok {
			break
		}
		if addr, isListen, err := ParseListeningLine(string(line)); isListen {
			w.found <- listenResult{addr: addr, err: err}
			w.done = true
		}
		w.partial = rest
	}
	if w.done || len(w.partial) > maxLine {
		w.partial = nil
	}
	return len(p), nil
}
