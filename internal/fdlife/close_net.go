//go:build windows || usocket_netstd

package fdlife

import "github.com/usocket-go/usocket/internal/netfd"

// closeSysfd closes the net backend's handle (internal/netfd).
func closeSysfd(fd int) { _ = netfd.Close(fd) }
