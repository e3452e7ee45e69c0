package auth

import (
	"context"
	"strings"
	"testing"

	"concord"
)

func TestHashAndVerify(t *testing.T) {
	// The server's cost, not the cheap one of test binaries.
	argonMemory, argonTime = 19*1024, 2
	defer func() { argonMemory, argonTime = hashCost() }()
	const pw = "correct horse battery"
	h, err := HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not argon2id with the OWASP parameters", h)
	}
	h2, _ := HashPassword(pw)
	if h == h2 {
		t.Error("two hashes of one password are equal: no salt")
	}
	if !VerifyPassword(pw, h) || !VerifyPassword(pw, h2) {
		t.Error("the right password is refused")
	}
	if VerifyPassword(pw+"!", h) || VerifyPassword("", h) {
		t.Error("a wrong password is accepted")
	}
	parts := strings.Split(h, "$")
	for name, phc := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$abcdefghijklmnopqrstuu",
		"argon2i":        strings.Replace(h, "argon2id", "argon2i", 1),
		"too few fields": strings.Join(parts[:5], "$"),
		"bad params":     strings.Replace(h, "m=19456,t=2,p=1", "m=x", 1),
		"huge memory":    strings.Replace(h, "m=19456", "m=9999999", 1),
		"many passes":    strings.Replace(h, "t=2", "t=99", 1),
		"no lanes":       strings.Replace(h, "p=1", "p=0", 1),
		"bad salt":       strings.Replace(h, parts[4], "!!!", 1),
		"bad key":        strings.Replace(h, parts[5], "!!!", 1),
		"other key":      strings.Replace(h, parts[5], parts[5][:10]+"AAAA"+parts[5][14:], 1),
	} {
		if VerifyPassword(pw, phc) {
			t.Errorf("%s: %q verifies", name, phc)
		}
	}
	before := verifications.Load()
	VerifyDummy(pw)
	if verifications.Load() != before+1 {
		t.Error("VerifyDummy does not spend one verification")
	}
}

func TestPasswordStrength(t *testing.T) {
	for _, c := range []struct {
		pw string
		ok bool
	}{
		{strings.Repeat(" ", 12), false},
		{strings.Repeat(" ", 40), false},
		{"\t\t\t\t\t\t\t\t\t\t\t\t\t", false},
		{strings.Repeat("\u3000", 14), false}, // ideographic spaces
		{strings.Repeat("\u00a0", 14), false}, // no-break spaces
		{"short pw", false},
		{"elevenchars", false},
		{"   elevenchars   ", false}, // the spaces around do not count
		{strings.Repeat("a", 12), false},
		{strings.Repeat("é", 20), false},
		{strings.Repeat("x", 257), false},
		{"twelve chars", true},
		{"  twelve chars  ", true},
		{"mot de passe sûr", true},
		{"密码密码密码密码安全口令", true},
		{"كلمة مرور طويلة", true},
		{strings.Repeat("ab", 127) + "xy", true}, // 256 characters
	} {
		err := CheckPasswordStrength(c.pw)
		if (err == nil) != c.ok {
			t.Errorf("%q: err %v, want ok %v", c.pw, err, c.ok)
		}
		if err != nil && (concord.ErrorCode(err) != concord.EInvalid || err.(*concord.Error).Key != "error.weak_password") {
			t.Errorf("%q: %v is not the localised invalid-password error", c.pw, err)
		}
		if _, herr := HashPassword(c.pw); (herr == nil) != c.ok {
			t.Errorf("%q: HashPassword err %v, want ok %v", c.pw, herr, c.ok)
		}
	}
}

// The rule beside the length: common passwords (whole, with digits or
// symbols added, letter case ignored), a short part repeated, and the
// username, with the error that names the reason.
func TestPasswordCommon(t *testing.T) {
	for _, c := range []struct {
		pw, user string
		ok       bool
	}{
		{"1qaz2wsx3edc", "", false},
		{"Qwerty123456", "", false},
		{"  QWERTY123456  ", "", false},
		{"dragon12345678", "", false},
		{"password2026!!", "", false},
		{"passwordpassword", "", false},
		{strings.Repeat("ab", 128), "", false},
		{"123123123123", "", false},
		{"amina.diallo", "amina.diallo", false},
		{"Amina.Diallo2026", "amina.diallo", false},
		{"amina.diallo likes long walks", "amina.diallo", true},
		{"horse battery staple", "", true},
		{"mot de passe sûr", "admin", true},
		{"كلمة مرور طويلة", "", true},
	} {
		err := CheckPassword(c.pw, c.user)
		if (err == nil) != c.ok {
			t.Errorf("%q (user %q): err %v, want ok %v", c.pw, c.user, err, c.ok)
		}
		if err != nil && err.(*concord.Error).Key != "error.common_password" {
			t.Errorf("%q: %v is not the common-password error", c.pw, err)
		}
		if _, herr := HashUserPassword(c.pw, c.user); (herr == nil) != c.ok {
			t.Errorf("%q: HashUserPassword err %v, want ok %v", c.pw, herr, c.ok)
		}
	}
}

func TestTokens(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		tok, h := NewToken()
		if len(tok) < 50 || seen[tok] {
			t.Fatalf("token %q is short or repeated", tok)
		}
		seen[tok] = true
		if h != TokenHash(tok) || len(h) != 64 || strings.Trim(h, "0123456789abcdef") != "" {
			t.Fatalf("hash %q of %q is not the hex SHA-256", h, tok)
		}
	}
	if TokenHash("a") == TokenHash("b") {
		t.Error("different tokens, one hash")
	}
	if p := GeneratePassword(); CheckPasswordStrength(p) != nil {
		t.Errorf("generated password %q is too weak", p)
	}
}

func TestContext(t *testing.T) {
	ctx := context.Background()
	if UserFrom(ctx) != nil || AddrFrom(ctx) != "" || SessionFrom(ctx) != "" {
		t.Error("an empty context carries someone")
	}
	u := &concord.User{ID: 7, Username: "del"}
	ctx = WithSession(WithAddr(WithUser(ctx, u), "192.0.2.1"), "0123456789abcdef")
	if UserFrom(ctx) != u || AddrFrom(ctx) != "192.0.2.1" || SessionFrom(ctx) != "0123456789abcdef" {
		t.Errorf("context: %v %q %q", UserFrom(ctx), AddrFrom(ctx), SessionFrom(ctx))
	}
}
