package reactor

import (
	"testing"

	"github.com/usocket-go/usocket/internal/testkit"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	testkit.DispatchChild(map[string]func() error{"emfile": emfileChild})
	goleak.VerifyTestMain(m)
}
