package room

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxName is the longest name, in bytes.
const maxName = 32

// cleanName accepts 1 to 32 bytes of printable characters (valid UTF-8,
// no control or formatting characters, so no escape sequences) without
// spaces or '/'.
func cleanName(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxName || !utf8.ValidString(s) {
		return "", false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) || r == ' ' || r == '/' {
			return "", false
		}
	}
	return s, true
}

// foldName is the key under which names are unique: "Alice" and "alice"
// are the same name.
func foldName(s string) string { return strings.ToLower(s) }

// escapeText makes a line safe to show on other members' terminals:
// control characters (ESC and so ANSI sequences, C1 controls such as CSI),
// bidirectional controls and bytes that are not UTF-8 are written as
// \xNN or \uNNNN.
func escapeText(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafeRune(r):
			b.WriteString(s[i : i+n])
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || unsafeRune(r) {
			return true
		}
		i += n
	}
	return false
}

func unsafeRune(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) }
