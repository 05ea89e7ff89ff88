package main

import (
	"testing"

	"github.com/usocket-go/usocket/examples/internal/exampletest"
)

func TestMain(m *testing.M) { exampletest.Main(m) }
