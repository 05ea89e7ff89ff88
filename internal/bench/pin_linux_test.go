package bench

import (
	"os/exec"
	"testing"

	"golang.org/x/sys/unix"
)

func TestPinProcessMovesEveryThread(t *testing.T) {
	p, err := PlanPinning()
	if err != nil {
		t.Fatalf("PlanPinning: %v (this test needs two CPUs)", err)
	}
	if p.ServerCPU == p.LoadCPU {
		t.Fatalf("PlanPinning = %+v: both on one CPU", p)
	}
	cmd := exec.Command("sleep", "30")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if err := PinProcess(cmd.Process.Pid, p.ServerCPU); err != nil {
		t.Fatal(err)
	}
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(cmd.Process.Pid, &set); err != nil {
		t.Fatal(err)
	}
	if set.Count() != 1 || !set.IsSet(p.ServerCPU) {
		t.Fatalf("affinity after PinProcess has %d CPU(s), CPU %d set: %v", set.Count(), p.ServerCPU, set.IsSet(p.ServerCPU))
	}
	if err := PinProcess(1<<30, 0); err == nil {
		t.Fatal("pinning a process that does not exist succeeded")
	}
}
