package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// Proxies are the reverse proxies trusted to say who their client is, in
// X-Forwarded-For. Empty (the default) trusts no header: the client is the
// peer of the connection. Behind a proxy that is not listed, every user
// shares the proxy's address, and so its sign-in counters.
type Proxies []netip.Prefix

// ParseProxies reads a comma-separated list of CIDRs or single addresses
// (the --trusted-proxy flag).
func ParseProxies(s string) (Proxies, error) {
	var out Proxies
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil {
				return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %w", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

func (p Proxies) trusts(a netip.Addr) bool {
	for _, pre := range p {
		if pre.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// ClientAddr returns the address a request counts against: the peer, or,
// when the peer is a trusted proxy, the right-most X-Forwarded-For entry
// that is not itself a trusted proxy (entries further left were written by
// the client and prove nothing). IPv6 clients count per /64, the block one
// subscriber usually holds.
func (p Proxies) ClientAddr(r *http.Request) string {
	a, ok := parseHost(r.RemoteAddr)
	if !ok {
		return r.RemoteAddr
	}
	if p.trusts(a) {
		hops := r.Header.Values("X-Forwarded-For")
	walk:
		for i := len(hops) - 1; i >= 0; i-- {
			parts := strings.Split(hops[i], ",")
			for j := len(parts) - 1; j >= 0; j-- {
				h, ok := parseHost(strings.TrimSpace(parts[j]))
				if !ok {
					break walk // garbage: stop at the last address we could trust
				}
				a = h
				if !p.trusts(h) {
					break walk
				}
			}
		}
	}
	return addrKey(a)
}

func parseHost(s string) (netip.Addr, bool) {
	if h, _, err := net.SplitHostPort(s); err == nil {
		s = h
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return a, false
	}
	return a.Unmap().WithZone(""), true
}

func addrKey(a netip.Addr) string {
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}

// AddrOf returns the client address of r: the one the session middleware
// resolved (AddrFrom), else the peer's.
func AddrOf(r *http.Request) string {
	if a := AddrFrom(r.Context()); a != "" {
		return a
	}
	return Proxies(nil).ClientAddr(r)
}
