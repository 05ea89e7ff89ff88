package room

import (
	"testing"
	"time"
)

func TestEscapeText(t *testing.T) {
	for in, want := range map[string]string{
		"plain text, ünïcode ✓": "plain text, ünïcode ✓",
		"\x1b[2Jclear":          `\x1b[2Jclear`,
		"tab\there":             `tab\x09here`,
		"csi\u009b1m":           `csi\x9b1m`,
		"bad\xffbyte":           `bad\xffbyte`,
		"rtl\u202eoverride":     `rtl\u202eoverride`,
		"del\x7f":               `del\x7f`,
	} {
		if got := escapeText(in); got != want {
			t.Errorf("escapeText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, ok := range map[string]bool{
		"alice": true, " bob ": true, "zoë": true, "": false, "a b": false, "a/b": false,
		"\x1b[31mred": false, "bell\a": false, "bad\xff": false, "rtl\u202e": false,
		"0123456789012345678901234567890123": false,
	} {
		if _, got := cleanName(in); got != ok {
			t.Errorf("cleanName(%q) ok = %v, want %v", in, got, ok)
		}
	}
}

func TestBucket(t *testing.T) {
	var b bucket
	t0 := time.Unix(1000, 0)
	for i := 0; i < 3; i++ {
		if d := b.take(t0, 2, 3); d != 0 {
			t.Fatalf("take %d of the burst waited %v", i, d)
		}
	}
	if d := b.take(t0, 2, 3); d != 500*time.Millisecond {
		t.Fatalf("empty bucket: wait %v, want 500ms", d)
	}
	if d := b.take(t0.Add(500*time.Millisecond), 2, 3); d != 0 {
		t.Fatalf("after refill: wait %v", d)
	}
	var free bucket
	for i := 0; i < 1000; i++ {
		if d := free.take(t0, -1, 1); d != 0 {
			t.Fatalf("unlimited bucket waited %v", d)
		}
	}
}
