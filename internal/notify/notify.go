// Package notify sends notices by email over SMTP. Every notice is also kept
// in the in-app inbox (the store's notices table); email is the optional
// second channel, used when an SMTP server is configured.
package notify

import (
	"crypto/tls"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"
)

// SMTP is the configuration of an SMTP relay.
type SMTP struct {
	Addr     string // host:port; empty disables email
	From     string // envelope and header sender, e.g. "Concord <noreply@example.org>"
	Username string // optional PLAIN authentication (only over TLS)
	Password string
	// InsecureSkipVerify is for test relays with self-signed certificates.
	InsecureSkipVerify bool
	Timeout            time.Duration
}

// Enabled reports whether email is configured.
func (c SMTP) Enabled() bool { return c.Addr != "" }

// Message is one email.
type Message struct {
	To      []string
	Subject string
	Body    string // plain text, UTF-8
}

// Send delivers m through the relay: EHLO, STARTTLS when offered, AUTH when
// configured, then the message with UTF-8 headers encoded per RFC 2047.
func (c SMTP) Send(m Message) error {
	if !c.Enabled() {
		return errors.New("notify: SMTP not configured")
	}
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return fmt.Errorf("notify: sender: %w", err)
	}
	var rcpts []string
	for _, to := range m.To {
		a, err := mail.ParseAddress(to)
		if err != nil {
			return fmt.Errorf("notify: recipient %q: %w", to, err)
		}
		rcpts = append(rcpts, a.Address)
	}
	if len(rcpts) == 0 {
		return errors.New("notify: no recipient")
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	conn, err := net.DialTimeout("tcp", c.Addr, timeout)
	if err != nil {
		return err
	}
	conn.SetDeadline(time.Now().Add(timeout))
	host, _, _ := net.SplitHostPort(c.Addr)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return err
	}
	defer cl.Close()
	if err := cl.Hello("concord"); err != nil {
		return err
	}
	if ok, _ := cl.Extension("STARTTLS"); ok {
		if err := cl.StartTLS(&tls.Config{ServerName: host, InsecureSkipVerify: c.InsecureSkipVerify}); err != nil {
			return err
		}
	}
	if c.Username != "" {
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, host)); err != nil {
			return err
		}
	}
	if err := cl.Mail(from.Address); err != nil {
		return err
	}
	for _, r := range rcpts {
		if err := cl.Rcpt(r); err != nil {
			return err
		}
	}
	w, err := cl.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(format(from, rcpts, m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return cl.Quit()
}

// format builds the RFC 5322 message with CRLF line endings.
func format(from *mail.Address, to []string, m Message) []byte {
	var b strings.Builder
	h := func(k, v string) { b.WriteString(k + ": " + v + "\r\n") }
	h("From", from.String())
	h("To", strings.Join(to, ", "))
	h("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	h("Date", time.Now().UTC().Format(time.RFC1123Z))
	h("MIME-Version", "1.0")
	h("Content-Type", "text/plain; charset=utf-8")
	h("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	body := strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")
	b.WriteString(body)
	if !strings.HasSuffix(body, "\r\n") {
		b.WriteString("\r\n")
	}
	return []byte(b.String())
}
