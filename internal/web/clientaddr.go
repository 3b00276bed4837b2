package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// SetTrustedProxies names the reverse proxies (CIDRs or addresses,
// separated by commas) whose X-Forwarded-For Fyr believes. Without them
// the header is ignored: anyone could otherwise claim any address and so
// escape the login throttle or put another address's pair under it.
func (s *Server) SetTrustedProxies(list string) error {
	var out []netip.Prefix
	for part := range strings.SplitSeq(list, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return fmt.Errorf("trusted proxy %q is neither an address nor a CIDR", part)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return fmt.Errorf("trusted proxy %q is not a CIDR: %w", part, err)
		}
		out = append(out, p.Masked())
	}
	s.trusted = out
	return nil
}

func (s *Server) trustedProxy(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.trusted {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddr is the address of the person: the peer, or — when the peer is
// a trusted proxy — the nearest address in X-Forwarded-For that is not one
// of the trusted proxies (read from the right: a client can prepend lies,
// but only a proxy appends).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	cur, err := netip.ParseAddr(host)
	if err != nil || !s.trustedProxy(cur) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0 && s.trustedProxy(cur); i-- {
		next, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // garbage: the last proxy is the best we know
		}
		cur = next
	}
	return cur.Unmap().String()
}
