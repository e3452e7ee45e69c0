package auth

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies(" 10.0.0.0/8, 192.0.2.1 ,2001:db8:ffff::/48")
	if err != nil || len(proxies) != 3 {
		t.Fatalf("ParseProxies: %v %v", proxies, err)
	}
	for _, c := range []struct {
		name    string
		proxies Proxies
		peer    string
		xff     []string
		want    string
	}{
		{"no proxy configured: the header is ignored", nil, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"peer not a trusted proxy: header ignored", proxies, "203.0.113.5:4000", []string{"198.51.100.1"}, "203.0.113.5"},
		{"trusted proxy: its client", proxies, "10.1.2.3:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"single trusted address", proxies, "192.0.2.1:4000", []string{"198.51.100.1"}, "198.51.100.1"},
		{"spoofed entries to the left are ignored", proxies, "10.1.2.3:4000", []string{"1.1.1.1, 198.51.100.1"}, "198.51.100.1"},
		{"chain of trusted proxies", proxies, "10.1.2.3:4000", []string{"198.51.100.1, 10.9.9.9", "192.0.2.1"}, "198.51.100.1"},
		{"all trusted: the left-most", proxies, "10.1.2.3:4000", []string{"10.2.2.2"}, "10.2.2.2"},
		{"no header from a proxy: the proxy", proxies, "10.1.2.3:4000", nil, "10.1.2.3"},
		{"garbage: stop at the last trusted hop", proxies, "10.1.2.3:4000", []string{"198.51.100.1, not-an-ip"}, "10.1.2.3"},
		{"port in the header", proxies, "10.1.2.3:4000", []string{"198.51.100.1:5555"}, "198.51.100.1"},
		{"IPv6 counts per /64", nil, "[2001:db8:1:2:3:4:5:6]:4000", nil, "2001:db8:1:2::/64"},
		{"IPv4-mapped IPv6 is IPv4", nil, "[::ffff:203.0.113.5]:4000", nil, "203.0.113.5"},
		{"IPv6 proxy", proxies, "[2001:db8:ffff::1]:443", []string{"2001:db8:9::77"}, "2001:db8:9::/64"},
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.peer
		for _, v := range c.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		if got := c.proxies.ClientAddr(r); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	for _, bad := range []string{"10.0.0.0/33", "example.com", "10.0.0.0/8,,nope"} {
		if _, err := ParseProxies(bad); err == nil || !strings.Contains(err.Error(), "trusted proxy") {
			t.Errorf("ParseProxies(%q): %v, want an error", bad, err)
		}
	}
	if p, err := ParseProxies(""); err != nil || len(p) != 0 {
		t.Errorf("empty: %v %v", p, err)
	}
	r := httptest.NewRequest("GET", "/", nil)
	r.RemoteAddr = "203.0.113.5:1"
	if AddrOf(r) != "203.0.113.5" || AddrOf(r.WithContext(WithAddr(r.Context(), "x"))) != "x" {
		t.Error("AddrOf does not prefer the resolved address")
	}
}
