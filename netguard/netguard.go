// Package netguard keeps the server's outgoing calls to URLs that users
// type (chat webhooks) away from this host and its private networks, so
// that such a URL cannot make the server reach an internal service or the
// cloud metadata address (SSRF).
//
// The check runs in the dialer's Control function, on the address the
// connection is about to use: a name that resolves to a private address,
// or that resolves to a public one when checked and to a private one when
// dialled (DNS rebinding), is refused all the same.
package netguard

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// ErrRefused is what a dial to a refused address wraps.
var ErrRefused = errors.New("the address is loopback, private, link-local, unspecified or multicast")

// metadata is the cloud providers' instance metadata address, named in
// the error since it is the usual target.
var metadata = netip.MustParseAddr("169.254.169.254")

// Check returns an error wrapping ErrRefused when ip is loopback, private
// (RFC 1918, RFC 6598 shared space, IPv6 ULA fc00::/7), link-local
// (169.254/16, fe80::/10), unspecified or multicast, IPv4-mapped IPv6
// addresses included.
func Check(ip netip.Addr) error {
	ip = ip.Unmap()
	switch {
	case !ip.IsValid():
		return fmt.Errorf("%w: no address", ErrRefused)
	case ip == metadata:
		return fmt.Errorf("%w: %s is the cloud metadata address", ErrRefused, ip)
	case ip.IsLoopback(), ip.IsPrivate(), ip.IsLinkLocalUnicast(), ip.IsUnspecified(),
		ip.IsMulticast(), ip.IsLinkLocalMulticast(), ip.IsInterfaceLocalMulticast(), cgnat.Contains(ip):
		return fmt.Errorf("%w: %s", ErrRefused, ip)
	}
	return nil
}

// cgnat is the carrier-grade NAT space (RFC 6598), private in practice.
var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// Control is a net.Dialer Control function that refuses the addresses
// Check refuses.
func Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %q is not an address", ErrRefused, address)
	}
	return Check(ap.Addr())
}

// WithoutURL drops the *url.Error that Client's calls wrap their errors in:
// it quotes the URL, which a user typed and which may work as a password
// (a chat webhook's). Any other error is returned as is.
func WithoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Client returns an HTTP client with timeout that follows no redirect
// and, unless allowPrivate, dials only public addresses. allowPrivate is
// for tests and for local setups whose receivers are on this host or its
// network.
func Client(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = Control
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DialContext = d.DialContext
	// A proxy would be dialled instead of the receiver, and the check
	// would be on the proxy's address.
	t.Proxy = nil
	return &http.Client{Timeout: timeout, Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}
