package usocket_test

import (
	"errors"
	"testing"

	"github.com/usocket-go/usocket/usocket"
)

func TestParseOptionName(t *testing.T) {
	good := []struct {
		in   string
		want usocket.OptionName
	}{
		{"receive-timeout", usocket.OptionReceiveTimeout},
		{":SEND-TIMEOUT", usocket.OptionSendTimeout},
		{"reuse-address", usocket.OptionReuseAddress},
		{":broadcast", usocket.OptionBroadcast},
		{"tcp-nodelay", usocket.OptionTCPNoDelay},
		{":TCP-NO-DELAY", usocket.OptionTCPNoDelay},
		{"tcp-keepalive", usocket.OptionTCPKeepAlive},
	}
	for _, tt := range good {
		got, err := usocket.ParseOptionName(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseOptionName(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if back, err := usocket.ParseOptionName(string(got)); err != nil || back != got {
			t.Errorf("ParseOptionName(%q) does not round-trip: %q, %v", got, back, err)
		}
	}
	// usocket does not support these; the spelling :keep-alive is a common mistake.
	for _, bad := range []string{"keep-alive", "linger", "receive-buffer", ":reuse-port", "tcp_nodelay", "::tcp-nodelay"} {
		got, err := usocket.ParseOptionName(bad)
		var ie *usocket.ImplementationError
		if got != "" || !errors.As(err, &ie) || !errors.Is(err, usocket.ErrUnimplemented) || ie.Feature != bad {
			t.Errorf("ParseOptionName(%q) = %q, %v; want an unimplemented error", bad, got, err)
		}
		if usocket.ConditionName(err) != "unimplemented" {
			t.Errorf("ConditionName(%v) = %q", err, usocket.ConditionName(err))
		}
	}
	for _, empty := range []string{"", ":"} {
		_, err := usocket.ParseOptionName(empty)
		wantInputError(t, "ParseOptionName("+empty+")", err)
	}
}
