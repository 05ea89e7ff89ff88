package testkit

import (
	"os"
	"sort"
	"strconv"
	"strings"
)

// PollInfo describes the process's epoll and timerfd descriptors, as the
// kernel reports them in /proc/self/fdinfo: which descriptors each epoll
// instance watches, for which events and with what user data, and when each
// timerfd will next fire. Tests print it when an event they wait for never
// comes. It is empty where /proc is not there.
func PollInfo() string {
	fds, err := OpenFDs()
	if err != nil {
		return ""
	}
	nums := make([]int, 0, len(fds))
	for fd, target := range fds {
		if strings.Contains(target, "eventpoll") || strings.Contains(target, "timerfd") {
			nums = append(nums, fd)
		}
	}
	sort.Ints(nums)
	var b strings.Builder
	for _, fd := range nums {
		info, err := os.ReadFile("/proc/self/fdinfo/" + strconv.Itoa(fd))
		if err != nil {
			continue
		}
		b.WriteString(strconv.Itoa(fd) + " -> " + fds[fd] + "\n")
		for _, line := range strings.Split(strings.TrimSpace(string(info)), "\n") {
			if strings.HasPrefix(line, "pos:") || strings.HasPrefix(line, "mnt_id:") || strings.HasPrefix(line, "ino:") {
				continue
			}
			b.WriteString("    " + line + "\n")
		}
	}
	return b.String()
}
