package reactortls

import (
	"crypto/tls"
	"errors"
	"testing"

	"github.com/usocket-go/usocket/reactor"
)

func TestConfigErrors(t *testing.T) {
	good := &tls.Config{}
	for _, tc := range []struct {
		name  string
		h     reactor.Handler
		cfg   *Config
		field string
	}{
		{"nil config", echo{}, nil, "TLS"},
		{"nil tls", echo{}, &Config{}, "TLS"},
		{"negative timeout", echo{}, &Config{TLS: good, HandshakeTimeout: -1}, "HandshakeTimeout"},
		{"negative max", echo{}, &Config{TLS: good, MaxHandshakes: -1}, "MaxHandshakes"},
	} {
		for _, wrap := range []func(reactor.Handler, *Config) (reactor.Handler, error){Server, Client} {
			_, err := wrap(tc.h, tc.cfg)
			var ce *ConfigError
			if !errors.As(err, &ce) || ce.Field != tc.field {
				t.Errorf("%s: %v, want a *ConfigError for %s", tc.name, err, tc.field)
			}
		}
	}
	if _, err := Server(nil, &Config{TLS: good}); !errors.Is(err, reactor.ErrNilHandler) {
		t.Errorf("nil handler: %v, want reactor.ErrNilHandler", err)
	}
}
