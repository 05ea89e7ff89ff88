//go:build !linux

package bench

func allowedCPUs() ([]int, error) { return nil, ErrPinUnsupported }

// PinProcess binds process pid to cpu; only Linux has it here.
func PinProcess(pid, cpu int) error { return ErrPinUnsupported }
