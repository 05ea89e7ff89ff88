package testkit

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	switch Child() {
	case "":
		goleak.VerifyTestMain(m)
	case "hello":
		fmt.Println("child hello ran")
		os.Exit(0)
	default:
		os.Exit(3)
	}
}
