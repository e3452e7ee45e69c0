// Package notify builds and sends email. Every notice is also kept in the
// in-app inbox (the store's notices table); email is the second channel,
// sent from the outbox (package outbox) when SMTP is configured.
//
// Messages are built with github.com/wneessen/go-mail: multipart/alternative
// (plain text and HTML), quoted-printable UTF-8 bodies, RFC 2047 headers, a
// Message-ID and Date, and List-Unsubscribe where the reader can stop a kind
// of notice.
package notify

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
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
	Text    string // plain text, UTF-8
	// HTML is the same content as HTML; empty builds it from Text (escaped,
	// paragraphs kept, links made clickable).
	HTML string
	// Unsubscribe is the page where the reader stops this kind of message
	// (List-Unsubscribe); empty for messages one cannot decline, such as a
	// password reset.
	Unsubscribe string
	// ID is the Message-ID's local part; the outbox sets it from the row, so
	// that a message retried after an ambiguous failure keeps its identity.
	ID string
}

// Sender delivers messages; Send reports, per message, whether it was
// delivered (a message may be delivered even when err is not nil) and an
// error for each one that was not.
type Sender interface {
	Send(ctx context.Context, msgs []Message) []error
}

// Permanent reports whether err is a refusal that retrying will not change
// (an SMTP 5xx reply, or a message that cannot be built).
func Permanent(err error) bool {
	var se *gomail.SendError
	if errors.As(err, &se) {
		code := se.ErrorCode()
		return code >= 500 && code < 600
	}
	var be *BuildError
	return errors.As(err, &be)
}

// BuildError is a message that cannot be built (a bad address).
type BuildError struct{ Err error }

// Error says what could not be built.
func (e *BuildError) Error() string { return "notify: " + e.Err.Error() }

// Unwrap gives the cause.
func (e *BuildError) Unwrap() error { return e.Err }

// build turns m into a go-mail message from the given sender.
func build(from string, m Message) (*gomail.Msg, error) {
	fa, err := mail.ParseAddress(from)
	if err != nil {
		return nil, &BuildError{fmt.Errorf("sender: %w", err)}
	}
	if len(m.To) == 0 {
		return nil, &BuildError{errors.New("no recipient")}
	}
	msg := gomail.NewMsg(gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(fa)
	for _, to := range m.To {
		a, err := mail.ParseAddress(to)
		if err != nil {
			return nil, &BuildError{fmt.Errorf("recipient %q: %w", to, err)}
		}
		msg.AddToMailAddress(a)
	}
	msg.Subject(m.Subject)
	msg.SetUserAgent("Concord") // not the library and its version
	msg.SetDate()
	if m.ID != "" {
		_, domain, _ := strings.Cut(fa.Address, "@")
		msg.SetMessageIDWithValue(m.ID + "@" + domain)
	} else {
		msg.SetMessageID()
	}
	if m.Unsubscribe != "" {
		msg.SetListUnsubscribe(m.Unsubscribe)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	h := m.HTML
	if h == "" {
		h = TextToHTML(m.Text)
	}
	msg.AddAlternativeString(gomail.TypeTextHTML, h)
	return msg, nil
}

// TextToHTML renders plain text as a minimal HTML document: escaped,
// blank-line paragraphs, line breaks kept, http(s) URLs as links.
func TextToHTML(text string) string {
	var b strings.Builder
	b.WriteString("<!doctype html><html><body>")
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			for j, w := range strings.Split(line, " ") {
				if j > 0 {
					b.WriteString(" ")
				}
				if strings.HasPrefix(w, "https://") || strings.HasPrefix(w, "http://") {
					e := template.HTMLEscapeString(w)
					b.WriteString(`<a href="` + e + `">` + e + `</a>`)
				} else {
					b.WriteString(template.HTMLEscapeString(w))
				}
			}
		}
		b.WriteString("</p>")
	}
	b.WriteString("</body></html>")
	return b.String()
}

// Render returns m as the RFC 5322 bytes that would be sent from from.
func Render(from string, m Message) ([]byte, error) {
	msg, err := build(from, m)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if _, err := msg.WriteTo(&b); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// SendOne delivers one message.
func (c SMTP) SendOne(ctx context.Context, m Message) error {
	return c.Send(ctx, []Message{m})[0]
}

// Send delivers msgs over one connection: EHLO, STARTTLS when offered,
// AUTH PLAIN when configured, then each message. The i-th error is nil when
// the i-th message was accepted by the relay.
func (c SMTP) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	if !c.Enabled() {
		for i := range errs {
			errs[i] = errors.New("notify: SMTP not configured")
		}
		return errs
	}
	var built []*gomail.Msg
	var index []int
	for i, m := range msgs {
		msg, err := build(c.From, m)
		if err != nil {
			errs[i] = err
			continue
		}
		built = append(built, msg)
		index = append(index, i)
	}
	if len(built) == 0 {
		return errs
	}
	cl, err := c.client()
	if err != nil {
		for _, i := range index {
			errs[i] = err
		}
		return errs
	}
	sendErr := cl.DialAndSendWithContext(ctx, built...)
	for k, msg := range built {
		if msg.IsDelivered() {
			continue // accepted, even if the connection failed afterwards
		}
		errs[index[k]] = msgError(sendErr, msg)
	}
	return errs
}

// msgError picks the error about msg from what DialAndSend returned.
func msgError(err error, msg *gomail.Msg) error {
	if err == nil {
		return errors.New("notify: message not delivered")
	}
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			var se *gomail.SendError
			if errors.As(e, &se) && se.Msg() == msg {
				return e
			}
		}
	}
	return err
}

func (c SMTP) client() (*gomail.Client, error) {
	host, p, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return nil, &BuildError{fmt.Errorf("SMTP address %q: %w", c.Addr, err)}
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return nil, &BuildError{fmt.Errorf("SMTP port %q: %w", p, err)}
	}
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 15 * time.Second
	}
	opts := []gomail.Option{gomail.WithPort(port), gomail.WithTimeout(timeout), gomail.WithHELO("concord"),
		gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithoutNoop()}
	if c.InsecureSkipVerify {
		opts = append(opts, gomail.WithTLSConfig(insecureTLS(host)))
	}
	if c.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(c.Username), gomail.WithPassword(c.Password))
	}
	return gomail.NewClient(host, opts...)
}

// Dir writes each message as an .eml file into a directory instead of
// sending it: for the browser tests and demonstrations without a relay
// (--mail-dir). The files hold live links (password resets), so it is for
// test machines only.
type Dir struct {
	Path string
	From string
}

// Send writes each message to Path/<ID or time>.eml.
func (d Dir) Send(ctx context.Context, msgs []Message) []error {
	errs := make([]error, len(msgs))
	for i, m := range msgs {
		b, err := Render(d.From, m)
		if err != nil {
			errs[i] = err
			continue
		}
		name := m.ID
		if name == "" {
			name = strconv.FormatInt(time.Now().UnixNano(), 10)
		}
		tmp := filepath.Join(d.Path, "."+name+".tmp")
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			errs[i] = err
			continue
		}
		// Rename, so a reader never sees half a message.
		errs[i] = os.Rename(tmp, filepath.Join(d.Path, name+".eml"))
	}
	return errs
}

func insecureTLS(host string) *tls.Config {
	return &tls.Config{ServerName: host, InsecureSkipVerify: true} // #nosec: opt-in for test relays
}
