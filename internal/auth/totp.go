package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"image/png"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTP (RFC 6238) as every authenticator app reads it: SHA-1, six digits,
// a 30-second step. A code of the step before or after the server's is
// accepted too (Skew), for a phone whose clock is a little off.
const (
	TOTPPeriod = 30
	TOTPDigits = 6
	TOTPSkew   = 1
)

// Clock is the time codes are checked at: the real clock, never the
// process's shifted one (--clock-offset moves deadlines, not the person's
// phone).
var Clock = time.Now

var totpOpts = totp.ValidateOpts{Period: TOTPPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// TOTPKey is a new authenticator secret: Secret (base32, to type in),
// URL (otpauth://, the QR code's content) and QR (a PNG of it as a data:
// URI, for an <img>).
type TOTPKey struct {
	Secret string
	URL    string
	QR     string
}

// NewTOTPKey makes a new 160-bit secret for account, labelled with issuer
// in the authenticator app.
func NewTOTPKey(issuer, account string) (TOTPKey, error) {
	k, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Period: TOTPPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return TOTPKey{}, err
	}
	return KeyOf(k.Secret(), issuer, account)
}

// KeyOf describes an existing secret: its otpauth:// URL and QR code.
func KeyOf(secret, issuer, account string) (TOTPKey, error) {
	k, err := otp.NewKeyFromURL(totpURL(secret, issuer, account))
	if err != nil {
		return TOTPKey{}, err
	}
	img, err := k.Image(240, 240)
	if err != nil {
		return TOTPKey{}, err
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return TOTPKey{}, err
	}
	return TOTPKey{Secret: secret, URL: k.URL(), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())}, nil
}

// totpURL is the URL totp.Generate writes, for a secret it did not make.
func totpURL(secret, issuer, account string) string {
	v := url.Values{"secret": {secret}, "issuer": {issuer}, "period": {"30"}, "algorithm": {"SHA1"}, "digits": {"6"}}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// NormalSecret returns a base32 secret without spaces, in upper case, or
// "" when it is not base32 of at least 128 bits.
func NormalSecret(s string) string {
	s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
	s = strings.TrimRight(s, "=")
	if len(s) < 26 || len(s) > 128 || strings.Trim(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		return ""
	}
	return s
}

// TOTPStep is the step of an instant.
func TOTPStep(t time.Time) int64 { return t.Unix() / TOTPPeriod }

// TOTPCode is the code of secret at step, as the authenticator shows it.
func TOTPCode(secret string, step int64) string {
	c, err := totp.GenerateCodeCustom(secret, time.Unix(step*TOTPPeriod, 0), totpOpts)
	if err != nil {
		return ""
	}
	return c
}

// CheckTOTP reports whether code is the code of secret at the step of now
// or within TOTPSkew steps of it, and which step it matched. Every
// candidate is compared in constant time, all of them always, so the time
// taken says nothing about which one matched. The caller refuses a step
// already used (store.Tx.UseTOTPStep).
func CheckTOTP(secret, code string, now time.Time) (step int64, ok bool) {
	code = NormalCode(code)
	if len(code) != TOTPDigits {
		return 0, false
	}
	cur := TOTPStep(now)
	for s := cur - TOTPSkew; s <= cur+TOTPSkew; s++ {
		want := TOTPCode(secret, s)
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && want != "" {
			step, ok = s, true
		}
	}
	return step, ok
}

// NormalCode drops the spaces and dashes people type inside a code.
func NormalCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' || r == '\u00a0' {
			return -1
		}
		return r
	}, strings.TrimSpace(code))
}

// IsTOTPCode reports whether code (once normalised) looks like an
// authenticator's code (six digits) rather than a recovery code.
func IsTOTPCode(code string) bool {
	c := NormalCode(code)
	return len(c) == TOTPDigits && strings.Trim(c, "0123456789") == ""
}

// RecoveryCodes is how many recovery codes an account gets at a time.
const RecoveryCodes = 10

// NewRecoveryCodes returns RecoveryCodes random codes of 80 bits, written
// in four groups of four ("abcd-efgh-jkmn-pqrs", base32 in lower case), and
// the hashes to store. Random codes of that size need no slow hash: SHA-256
// (RecoveryHash) is enough, as for session tokens.
func NewRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodes {
		raw := strings.ToLower(rand.Text()[:16])
		c := raw[:4] + "-" + raw[4:8] + "-" + raw[8:12] + "-" + raw[12:]
		codes = append(codes, c)
		hashes = append(hashes, RecoveryHash(c))
	}
	return codes, hashes
}

// RecoveryHash is the stored form of a recovery code, as typed: spaces,
// dashes and letter case do not matter.
func RecoveryHash(code string) string {
	h := sha256.Sum256([]byte(strings.ToLower(NormalCode(code))))
	return hex.EncodeToString(h[:])
}

// MatchRecovery returns the hash among hashes that code's hash equals,
// comparing with each in constant time, or "".
func MatchRecovery(code string, hashes []string) string {
	h := RecoveryHash(code)
	found := ""
	for _, x := range hashes {
		if subtle.ConstantTimeCompare([]byte(x), []byte(h)) == 1 {
			found = x
		}
	}
	return found
}
