package main

import (
	"crypto/tls"
	"fmt"
	"io"
	"time"

	"github.com/usocket-go/usocket/examples/internal/cli"
	"github.com/usocket-go/usocket/internal/selfsigned"
	"github.com/usocket-go/usocket/reactor/reactortls"
)

// checkTLS refuses -tls outside the reactor TCP server, and a -cert
// without its -key (or the other way round).
func checkTLS(cfg config) error {
	switch {
	case !cfg.tls && (cfg.certFile != "" || cfg.keyFile != ""):
		return cli.Usagef("-cert and -key need -tls")
	case cfg.tls && (cfg.mode != "reactor" || cfg.proto != "tcp"):
		return cli.Usagef("-tls needs -mode reactor -proto tcp")
	case (cfg.certFile == "") != (cfg.keyFile == ""):
		return cli.Usagef("-cert and -key go together")
	}
	return nil
}

// tlsConfig loads -cert and -key, or makes a self-signed certificate for
// the listening host (and localhost) and prints its SHA-256 fingerprint,
// for clients to check (openssl s_client ... | openssl x509 -noout
// -fingerprint -sha256).
func tlsConfig(cfg config, stdout io.Writer) (*reactortls.Config, error) {
	var cert tls.Certificate
	var err error
	if cfg.certFile != "" {
		cert, err = tls.LoadX509KeyPair(cfg.certFile, cfg.keyFile)
	} else {
		hosts := []string{"localhost", "127.0.0.1", "::1"}
		if cfg.host != "" {
			hosts = append(hosts, cfg.host)
		}
		cert, _, err = selfsigned.New(30*24*time.Hour, hosts...)
		if err == nil {
			fmt.Fprintf(stdout, "echo-server: self-signed certificate, SHA-256 fingerprint %s\n", selfsigned.Fingerprint(cert.Certificate[0]))
		}
	}
	if err != nil {
		return nil, err
	}
	return &reactortls.Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"echo"}}}, nil
}
