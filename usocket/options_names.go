package usocket

import "strings"

// OptionName names a socket option the way usocket's SOCKET-OPTION keywords
// do. The typed setters (SetNoDelay and so on) are the usual Go way; the
// names serve code that picks options at run time.
type OptionName string

// The options usocket supports. Any other name is unimplemented.
const (
	// OptionReceiveTimeout is :RECEIVE-TIMEOUT (stream sockets): the idle
	// time after which a read fails with a timeout.
	OptionReceiveTimeout OptionName = "receive-timeout"
	// OptionSendTimeout is :SEND-TIMEOUT (stream sockets): the idle time
	// after which a write fails with a timeout. Unlike on SBCL it is
	// separate from the receive timeout.
	OptionSendTimeout OptionName = "send-timeout"
	// OptionReuseAddress is :REUSE-ADDRESS (server sockets): SO_REUSEADDR.
	OptionReuseAddress OptionName = "reuse-address"
	// OptionBroadcast is :BROADCAST (datagram sockets): SO_BROADCAST.
	OptionBroadcast OptionName = "broadcast"
	// OptionTCPNoDelay is :TCP-NODELAY, alias :TCP-NO-DELAY (stream
	// sockets): TCP_NODELAY.
	OptionTCPNoDelay OptionName = "tcp-nodelay"
	// OptionTCPKeepAlive is :TCP-KEEPALIVE (stream sockets): SO_KEEPALIVE.
	OptionTCPKeepAlive OptionName = "tcp-keepalive"
)

// optionNames maps every accepted spelling to its option.
var optionNames = map[string]OptionName{
	string(OptionReceiveTimeout): OptionReceiveTimeout,
	string(OptionSendTimeout):    OptionSendTimeout,
	string(OptionReuseAddress):   OptionReuseAddress,
	string(OptionBroadcast):      OptionBroadcast,
	string(OptionTCPNoDelay):     OptionTCPNoDelay,
	"tcp-no-delay":               OptionTCPNoDelay,
	string(OptionTCPKeepAlive):   OptionTCPKeepAlive,
}

// ParseOptionName returns the option that s names. It accepts usocket's
// keyword spellings in any case, with or without the leading colon, and
// the alias "tcp-no-delay": ParseOptionName(":TCP-NODELAY") is
// OptionTCPNoDelay. An unknown name gives an *ImplementationError matching
// ErrUnimplemented, as usocket signals UNIMPLEMENTED; an empty one gives an
// *InputError.
func ParseOptionName(s string) (OptionName, error) {
	key := strings.ToLower(strings.TrimPrefix(s, ":"))
	if key == "" {
		return "", &InputError{Op: "ParseOptionName", Arg: "name", Value: s, Reason: "empty option name"}
	}
	if n, ok := optionNames[key]; ok {
		return n, nil
	}
	return "", &ImplementationError{Kind: ErrUnimplemented, Feature: s, Context: "Option/SetOption"}
}
