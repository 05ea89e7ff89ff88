package reactortls

import (
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if s := os.Getenv(benchChildEnv); s != "" {
		os.Exit(runBenchChild(s))
	}
	goleak.VerifyTestMain(m)
}
