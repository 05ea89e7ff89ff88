package testkit

import (
	"fmt"
	"os"
	"sort"
	"strconv"
)

// OpenFDs returns the open file descriptors of this process, each with what
// it points at (socket:[...], pipe:[...], a path, anon_inode:[eventpoll]...),
// read from /proc/self/fd. The descriptor used to read the directory is left
// out.
func OpenFDs() (map[int]string, error) {
	d, err := os.Open("/proc/self/fd")
	if err != nil {
		return nil, fmt.Errorf("testkit: list fds: %w", err)
	}
	defer func() { _ = d.Close() }()
	names, err := d.Readdirnames(-1)
	if err != nil {
		return nil, fmt.Errorf("testkit: list fds: %w", err)
	}
	self := int(d.Fd())
	fds := make(map[int]string, len(names))
	for _, name := range names {
		fd, err := strconv.Atoi(name)
		if err != nil || fd == self {
			continue
		}
		target, err := os.Readlink("/proc/self/fd/" + name)
		if err != nil {
			continue // closed while we looked
		}
		fds[fd] = target
	}
	return fds, nil
}

// FDDiff describes the descriptors open in after but not in before (or
// open in both but pointing elsewhere), sorted, for failure messages. It is
// empty when nothing new is open.
func FDDiff(before, after map[int]string) []string {
	var diff []string
	for fd, target := range after {
		if before[fd] != target {
			diff = append(diff, strconv.Itoa(fd)+" -> "+target)
		}
	}
	sort.Strings(diff)
	return diff
}
