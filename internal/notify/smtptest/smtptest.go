// Package smtptest runs a small but real SMTP server (RFC 5321 commands
// over TCP) for tests: the mail goes through the same protocol a relay sees.
package smtptest

import (
	"bufio"
	"net"
	"strings"
	"sync"
	"testing"
)

// Server keeps what it receives.
type Server struct {
	Addr string
	ln   net.Listener
	mu   sync.Mutex
	Mail []Received
}

// Received is one delivered message.
type Received struct {
	From string
	To   []string
	Data string
}

// StartServer listens on a free loopback port until the test ends.
func Start(t testing.TB) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Addr: ln.Addr().String(), ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

// Messages returns a copy of what has been received.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.Mail...)
}

func (s *Server) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(line string) { c.Write([]byte(line + "\r\n")) }
	reply("220 test ESMTP")
	var cur Received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250-test")
			reply("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			cur = Received{From: angle(line)}
			reply("250 ok")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			cur.To = append(cur.To, angle(line))
			reply("250 ok")
		case cmd == "DATA":
			reply("354 go ahead")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			cur.Data = data.String()
			s.mu.Lock()
			s.Mail = append(s.Mail, cur)
			s.mu.Unlock()
			reply("250 queued")
		case cmd == "QUIT":
			reply("221 bye")
			return
		case cmd == "RSET", cmd == "NOOP":
			reply("250 ok")
		default:
			reply("502 not implemented")
		}
	}
}

// angle returns the path between < and > in a MAIL or RCPT command, whose
// parameters (BODY=8BITMIME) follow it.
func angle(line string) string {
	_, rest, _ := strings.Cut(line, "<")
	path, _, _ := strings.Cut(rest, ">")
	return path
}
