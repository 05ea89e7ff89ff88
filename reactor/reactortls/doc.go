// Package reactortls serves and dials reactor handlers over TLS, with the
// standard library's crypto/tls unmodified: Go's own TLS versions, cipher
// suites, certificates, ALPN, session resumption and security fixes.
//
// Wrap a handler with Server (or Client) and listen (or dial) with the
// result; handler.Serve does it for ServeOptions.TLS. The wrapped handler
// sees the plaintext and a *reactor.Conn whose methods keep their meaning:
//
//   - OnOpen comes once the handshake is done (ConnectionState tells the
//     version, the ALPN protocol, the peer's certificates).
//   - OnData gets decrypted bytes, at most one TLS record (16 KiB) a call.
//   - Write and WriteDirect encrypt; Buffered and the WriteNotifier water
//     marks count the ciphertext waiting to be sent.
//   - OnEOF is the peer's close_notify. A TCP FIN without a close_notify is
//     a truncation, which may be an attack: the connection ends with
//     OnClose(c, ErrTruncated), never with OnEOF. A bad record or an alert
//     from the peer resets it, with crypto/tls's error in OnClose.
//   - CloseWrite sends close_notify, then shuts down the TCP write side
//     once everything is sent. Close sends close_notify, flushes and
//     closes as reactor.Conn.Close does; Abort resets at once.
//   - PauseRead holds the peer back through TLS: records already received
//     are kept, undecrypted, until ResumeRead, and the socket is not read.
//
// # How it works
//
// crypto/tls needs a net.Conn it can block on, and remembers every error
// of its handshake. So each handshake runs in a goroutine of its own that
// reads, from an in-memory transport, the bytes the event loop receives;
// the handshake's messages are queued on the connection as any Write. Once
// the handshake is done the goroutine ends and the loop takes over: it
// hands each read's ciphertext to the tls.Conn, and reads plaintext until
// the transport reports "no more input", a net.Error whose Temporary is
// true, which crypto/tls does not keep. A handshaken connection has no
// goroutine: it costs its tls.Conn and its buffers.
//
// At most Config.MaxHandshakes handshakes run at once per wrapped handler;
// further connections wait, neither read nor with a goroutine, for a slot.
// Config.HandshakeTimeout ends a handshake, or a wait for one, that takes
// too long. On a server a failed handshake is reported to the reactor's
// error hook as a *HandshakeError with the peer's address, and the handler
// hears nothing of that connection; a client's handler gets OnClose with
// the *HandshakeError.
//
// The package sits between reactor and the packages above it (handler,
// the examples); it imports no gnet.
package reactortls
