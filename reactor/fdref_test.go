package reactor

import "testing"

func TestFDRefLastUserCloses(t *testing.T) {
	var r fdRef
	if !r.acquire() || !r.acquire() {
		t.Fatal("acquire failed on an open descriptor")
	}
	if r.markClosing() {
		t.Fatal("markClosing said close now while two references are held")
	}
	if r.acquire() {
		t.Fatal("acquire succeeded after closing began")
	}
	if r.release() {
		t.Fatal("the first of two releases said close")
	}
	if !r.release() {
		t.Fatal("the last release after closing did not say close")
	}
	if r.markClosing() {
		t.Fatal("a second markClosing said close again")
	}
}

func TestFDRefCloseWithoutUsers(t *testing.T) {
	var r fdRef
	if !r.markClosing() {
		t.Fatal("markClosing with no reference held must close at once")
	}
}
