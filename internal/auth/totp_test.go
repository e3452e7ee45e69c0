package auth

import (
	"strings"
	"testing"
	"time"
)

// The RFC 6238 test secret ("12345678901234567890"), base32.
const rfcSecret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestTOTP(t *testing.T) {
	// RFC 6238, appendix B (SHA-1), the last six digits.
	for _, c := range []struct {
		unix int64
		code string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}} {
		if got := TOTPCode(rfcSecret, c.unix/TOTPPeriod); got != c.code {
			t.Errorf("code at %d: %s, want %s", c.unix, got, c.code)
		}
	}
	now := time.Unix(1234567890, 0)
	step := TOTPStep(now)
	for _, c := range []struct {
		name string
		code string
		ok   bool
		step int64
	}{
		{"current", TOTPCode(rfcSecret, step), true, step},
		{"previous step", TOTPCode(rfcSecret, step-1), true, step - 1},
		{"next step", TOTPCode(rfcSecret, step+1), true, step + 1},
		{"two steps ago", TOTPCode(rfcSecret, step-2), false, 0},
		{"spaces inside", "005 924", true, step},
		{"wrong", "123456", false, 0},
		{"too short", "00592", false, 0},
		{"letters", "abcdef", false, 0},
		{"empty", "", false, 0},
	} {
		got, ok := CheckTOTP(rfcSecret, c.code, now)
		if ok != c.ok || got != c.step {
			t.Errorf("%s: step %d %v, want %d %v", c.name, got, ok, c.step, c.ok)
		}
	}
	if IsTOTPCode("abcd-efgh-jkmn-pqrs") || !IsTOTPCode(" 123 456 ") {
		t.Error("IsTOTPCode mixes codes up")
	}
}

func TestRecoveryCodes(t *testing.T) {
	codes, hashes := NewRecoveryCodes()
	if len(codes) != RecoveryCodes || len(hashes) != RecoveryCodes {
		t.Fatalf("%d codes, %d hashes", len(codes), len(hashes))
	}
	seen := map[string]bool{}
	for i, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || seen[c] {
			t.Errorf("code %q", c)
		}
		seen[c] = true
		if RecoveryHash(c) != hashes[i] || RecoveryHash(strings.ToUpper(strings.ReplaceAll(c, "-", " "))) != hashes[i] {
			t.Errorf("hash of %q differs as typed", c)
		}
	}
	if MatchRecovery(codes[3], hashes) != hashes[3] || MatchRecovery("nope", hashes) != "" {
		t.Error("MatchRecovery")
	}
	if NormalSecret("jbsw y3dp ehpk 3pxp jbsw y3dp ehpk 3pxp") != "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" || NormalSecret("SHORT") != "" || NormalSecret("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX1") != "" {
		t.Error("NormalSecret")
	}
	k, err := NewTOTPKey("Concord", "sec")
	if err != nil || len(k.Secret) != 32 || !strings.HasPrefix(k.URL, "otpauth://totp/Concord:sec?") || !strings.HasPrefix(k.QR, "data:image/png;base64,") {
		t.Errorf("key: %+v %v", k, err)
	}
	again, err := KeyOf(k.Secret, "Concord", "sec")
	if err != nil || again.URL != k.URL {
		t.Errorf("KeyOf: %q, want %q (%v)", again.URL, k.URL, err)
	}
}
