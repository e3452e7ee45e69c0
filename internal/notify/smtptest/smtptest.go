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
	Addr   string
	ln     net.Listener
	mu     sync.Mutex
	Mail   []Received
	faults []Fault
	tries  int
}

// Fault is how the server mistreats one message: answer its end of DATA
// with Reply (say "451 4.3.0 try later" or "550 5.7.1 refused") without
// keeping it, or, with Disconnect, drop the connection in the middle of
// its DATA.
type Fault struct {
	Reply      string
	Disconnect bool
}

// Fail makes the next messages fail, one fault each, in order; the
// messages after them are received again.
func (s *Server) Fail(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// Attempts returns how many messages have reached DATA, failed or not.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tries
}

// nextFault takes the fault for the message now in DATA, if any.
func (s *Server) nextFault() (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tries++
	if len(s.faults) == 0 {
		return Fault{}, false
	}
	f := s.faults[0]
	s.faults = s.faults[1:]
	return f, true
}

// Received is one delivered message.
type Received struct {
	From string
	To   []string
	Data string
}

// Start listens on a free loopback port until the test ends.
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
			fault, failing := s.nextFault()
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				if failing && fault.Disconnect {
					return // mid-DATA: the message is not complete
				}
				data.WriteString(strings.TrimPrefix(l, "."))
			}
			if failing {
				reply(fault.Reply)
				continue
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
