// Package auth holds password hashing (argon2id, PHC strings), session
// tokens, sign-in with its throttling, and the client address it counts.
// Permissions themselves are domain rules: concord.Can.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"concord"

	"github.com/trustelem/zxcvbn/frequency"
	"golang.org/x/crypto/argon2"
)

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const (
	argonThreads = 1
	argonKeyLen  = 32
)

// argonMemory (KiB) and argonTime (passes) are the cost of new hashes;
// verification reads the cost from the hash itself, so hashes of any cost
// verify the same way.
var argonMemory, argonTime = hashCost()

// hashCost is OWASP's baseline, except in a test binary (testing.Testing):
// tests create hundreds of accounts, and at 19 MiB and two passes each,
// hashing was a third of the CPU of the API tests. This package's own test
// checks the production cost.
func hashCost() (memory, passes uint32) {
	if testing.Testing() {
		return 64, 1
	}
	return 19 * 1024, 2
}

// hashSlots bounds concurrent hashes: each costs 19 MiB and tens of
// milliseconds of CPU, so a login flood must queue rather than exhaust memory.
var hashSlots = make(chan struct{}, 4)

// verifications counts password checks, for tests that bound how many
// sign-in attempts reach one.
var verifications atomic.Int64

// HashPassword returns a PHC-format argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	if err := CheckPasswordStrength(pw); err != nil {
		return "", err
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	hashSlots <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashSlots
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// ErrWeakPassword is returned for a password CheckPasswordStrength refuses.
var ErrWeakPassword = concord.Errorf(concord.EInvalid, "password", "error.weak_password",
	"password must be 12 to 256 characters, not counting spaces at either end, and not one character repeated")

// ErrCommonPassword is returned for a password long enough but common or
// trivial: a known common password, one with digits or symbols added, a
// short part repeated, or the username.
var ErrCommonPassword = concord.Errorf(concord.EInvalid, "password", "error.common_password",
	"password is too common or too easy to guess: choose another, for example a few unrelated words")

// HashUserPassword checks pw against the whole password rule for the
// account username (CheckPassword) and hashes it: every place that sets a
// password goes through it.
func HashUserPassword(pw, username string) (string, error) {
	if err := CheckPassword(pw, username); err != nil {
		return "", err
	}
	return HashPassword(pw)
}

// CheckPassword is the password rule: CheckPasswordStrength, and not the
// username (nor the username with a few characters around it).
func CheckPassword(pw, username string) error {
	if err := CheckPasswordStrength(pw); err != nil {
		return err
	}
	core := strings.ToLower(strings.TrimSpace(pw))
	if u := strings.ToLower(strings.TrimSpace(username)); u != "" && strings.Contains(core, u) &&
		utf8.RuneCountInString(core)-utf8.RuneCountInString(u) < 8 {
		return ErrCommonPassword
	}
	return nil
}

// CheckPasswordStrength enforces length (NIST SP 800-63B: composition rules
// make passwords worse, length makes them better), counted without the
// white space at either end, so that twelve spaces are not a password, and
// refuses one character repeated, the trivial way to reach the length.
func CheckPasswordStrength(pw string) error {
	if n := utf8.RuneCountInString(pw); n > 256 {
		return ErrWeakPassword
	}
	core := strings.TrimFunc(pw, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsGraphic(r) })
	if utf8.RuneCountInString(core) < 12 {
		return ErrWeakPassword
	}
	first, _ := utf8.DecodeRuneInString(core)
	if strings.Trim(core, string(first)) == "" {
		return ErrWeakPassword
	}
	if Common(core) {
		return ErrCommonPassword
	}
	return nil
}

// common is the set of the 30,000 most common passwords of the Xato
// corpus of ten million leaked passwords, as zxcvbn 4.4.2 (Dropbox, MIT)
// ships them, through its Go port github.com/trustelem/zxcvbn. Most are
// shorter than the length rule; they still catch a short one padded with
// digits ("dragon12345678").
var common = func() map[string]bool {
	list := frequency.FrequencyLists["passwords"]
	m := make(map[string]bool, len(list))
	for _, p := range list {
		m[p] = true
	}
	return m
}()

// Common reports whether pw is trivial to guess: a common password
// (letter case ignored), one followed by digits or symbols, or a short part
// repeated ("abcabcabcabc", "passwordpassword").
func Common(pw string) bool {
	p := strings.ToLower(strings.TrimSpace(pw))
	if common[p] || common[strings.ReplaceAll(p, " ", "")] {
		return true
	}
	stem := strings.TrimRightFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	if utf8.RuneCountInString(stem) >= 4 && common[stem] {
		return true
	}
	r := []rune(p)
	for n := 1; n <= len(r)/2; n++ {
		if len(r)%n != 0 {
			continue
		}
		if strings.Repeat(string(r[:n]), len(r)/n) == p {
			return true
		}
	}
	return false
}

// VerifyPassword reports whether pw matches the PHC hash.
func VerifyPassword(pw, phc string) bool {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || m > 256*1024 || t > 10 || p == 0 {
		return false
	}
	verifications.Add(1)
	hashSlots <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	<-hashSlots
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when a username does not exist, so that a
// login for an unknown user takes as long as one for a known user.
var dummyHash, _ = HashPassword("dummy-password-for-timing")

// VerifyDummy spends the time of one verification.
func VerifyDummy(pw string) { VerifyPassword(pw, dummyHash) }

// NewToken returns a random session token (256 bits) and the hash to store.
func NewToken() (token, hash string) {
	token = rand.Text() + rand.Text()
	return token, TokenHash(token)
}

// TokenHash is the stored form of a token: SHA-256, hex. A fast hash is right
// here because tokens are random, not guessable passwords.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// GeneratePassword returns a random password for a new administrator.
func GeneratePassword() string { return rand.Text() }
