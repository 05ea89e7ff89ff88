package room_test

import (
	"testing"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

// TestMain runs the tests under goleak (see exampletest.Main).
func TestMain(m *testing.M) { exampletest.Main(m) }
