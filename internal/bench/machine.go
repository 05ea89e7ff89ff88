package bench

import (
	"bufio"
	"os"
	"runtime"
	"strings"

	"github.com/usocket-go/usocket/internal/unix"
)

// Machine describes where a matrix ran.
type Machine struct {
	CPU    string // model name from /proc/cpuinfo
	Cores  int    // logical CPUs usable by this process
	Kernel string // uname sysname, release and machine
	Go     string // Go version the harness was built with
}

// DescribeMachine reads the CPU model, core count, kernel and Go version;
// anything it cannot read is "unknown".
func DescribeMachine() Machine {
	m := Machine{CPU: "unknown", Cores: runtime.NumCPU(), Kernel: "unknown", Go: runtime.Version()}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			key, val, ok := strings.Cut(sc.Text(), ":")
			if ok && strings.TrimSpace(key) == "model name" {
				m.CPU = strings.TrimSpace(val)
				break
			}
		}
		_ = f.Close()
	}
	var u unix.Utsname
	if unix.Uname(&u) == nil {
		m.Kernel = unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:]) + " " +
			unix.ByteSliceToString(u.Machine[:])
	}
	return m
}
