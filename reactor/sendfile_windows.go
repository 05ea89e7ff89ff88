package reactor

import "errors"

// send fails on Windows, where no loop runs (poller_windows.go); SendFile
// cannot queue a region there anyway, as descriptors cannot be duplicated.
func (s *fileSeg) send(int) (int, error) { return 0, errors.ErrUnsupported }
