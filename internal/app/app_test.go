package app

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "data", "concord.db")
	db := "--database=" + dbPath

	if code, out, _ := run(t, "", "help"); code != 0 || !strings.Contains(out, "CONCORD_DATABASE_URL") || !strings.Contains(out, "audit verify") {
		t.Errorf("help: %d\n%s", code, out)
	}
	// Sign-in throttling trusts a proxy's header only when told to.
	if code, out, _ := run(t, "", "help"); !strings.Contains(out, "-trusted-proxy") || !strings.Contains(out, "$CONCORD_TRUSTED_PROXY") {
		t.Errorf("help does not describe --trusted-proxy: %d\n%s", code, out)
	}
	if code, _, errs := run(t, "", "serve", "--trusted-proxy=10.0.0.0/99", "--database="+filepath.Join(dir, "unused.db")); code == 0 || !strings.Contains(errs, "trusted proxy") {
		t.Errorf("serve with a bad --trusted-proxy: exit %d, %s", code, errs)
	}
	// Issue 11: roles are listed and explained wherever one is chosen.
	if _, out, _ := run(t, "", "help"); !strings.Contains(out, "there is no default") || !strings.Contains(out, "focal-point     acts for one stakeholder organisation") || !strings.Contains(out, "-invite") {
		t.Errorf("help does not explain the roles and invitations:\n%s", out)
	}
	if code, out, _ := run(t, "", "version"); code != 0 || !strings.HasPrefix(out, "concord ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, _ := run(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	// First start: migrations, reference data, a generated admin password printed once.
	code, out, errs := run(t, "", "migrate", db)
	if code != 0 || !strings.Contains(out, `Created administrator account "admin"`) {
		t.Fatalf("migrate: %d %s %s", code, out, errs)
	}
	if code, out, _ := run(t, "", "migrate", db); code != 0 || strings.Contains(out, "Created administrator") {
		t.Errorf("second migrate printed a new password: %s", out)
	}
	// Accounts from the command line, passwords on stdin.
	if code, _, errs := run(t, "a-long-delegate-password\n", "user", "create", db, "-username", "del-fra", "-role", "delegate", "-state", "fra"); code != 0 {
		t.Fatalf("user create: %s", errs)
	}
	if code, _, errs := run(t, "short\n", "user", "create", db, "-username", "x-user", "-role", "chair"); code != 1 || !strings.Contains(errs, "12") {
		t.Errorf("weak password accepted: %d %s", code, errs)
	}
	// Issue 11: the password rule refuses common passwords and the
	// username; an account may be invited by email instead.
	if code, _, errs := run(t, "qwerty123456\n", "user", "create", db, "-username", "x-user", "-role", "chair"); code != 1 || !strings.Contains(errs, "too common") {
		t.Errorf("common password accepted: %d %s", code, errs)
	}
	if code, _, errs := run(t, "x-user-x-user-1\n", "user", "create", db, "-username", "x-user-x-user", "-role", "chair"); code != 1 || !strings.Contains(errs, "too common") {
		t.Errorf("username as password accepted: %d %s", code, errs)
	}
	if code, _, errs := run(t, "", "user", "create", db, "-username", "chair2", "-role", "chair", "-invite"); code != 1 || !strings.Contains(errs, "-email") {
		t.Errorf("invitation without an address: %d %s", code, errs)
	}
	if code, out, errs := run(t, "", "user", "create", db, "-username", "chair2", "-role", "chair", "-email", "chair2@un.test", "-invite", "-lang", "fr"); code != 0 || !strings.Contains(out, "outbox") {
		t.Errorf("invitation: %d %s %s", code, out, errs)
	}
	// Two-factor sign-in from the command line, with a known secret.
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, "", "user", "totp", db, "-username", "chair2", "--totp-secret-file", secret); code != 0 ||
		!strings.HasPrefix(out, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n") || strings.Count(out, "-") < 30 {
		t.Errorf("user totp: %d %s %s", code, out, errs)
	}
	if err := os.WriteFile(secret, []byte("not base32!"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := run(t, "", "user", "totp", db, "-username", "chair2", "--totp-secret-file", secret); code != 1 || !strings.Contains(errs, "base32") {
		t.Errorf("user totp with a bad secret: %d %s", code, errs)
	}
	if code, _, errs := run(t, "", "user", "role", db, "-username", "del-fra", "-role", "delegate"); code != 1 || !strings.Contains(errs, "State") {
		t.Errorf("delegate without a State accepted: %d %s", code, errs)
	}
	if code, _, errs := run(t, "", "user", "role", db, "-username", "del-fra", "-role", "chair"); code != 0 {
		t.Errorf("role change: %s", errs)
	}
	if code, _, errs := run(t, "another-long-password\n", "user", "password", db, "-username", "del-fra"); code != 0 {
		t.Errorf("password reset: %s", errs)
	}
	if code, _, _ := run(t, "", "seed", db, "--demo"); code != 0 {
		t.Error("seed --demo failed")
	}
	code, out, _ = run(t, "", "audit", "verify", db)
	if code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify on a clean log: %d %s", code, out)
	}
	// Delete an organisation behind Concord's back: the chain is intact,
	// the row check names it.
	raw, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	var subject string
	if err := raw.QueryRow("SELECT subject FROM outbox WHERE dedupe LIKE 'invite:%' AND recipients = '[\"chair2@un.test\"]'").Scan(&subject); err != nil || !strings.Contains(subject, "invité") {
		t.Errorf("invitation in the outbox: %q %v", subject, err)
	}
	// Issue 11: the TOTP secret is stored encrypted with a key file made
	// at first start beside the database, readable by its owner only;
	// another key stops the server at once.
	var stored string
	if err := raw.QueryRow("SELECT secret FROM totp_secrets").Scan(&stored); err != nil || strings.Contains(stored, "JBSWY3DP") {
		t.Errorf("stored TOTP secret: %q %v", stored, err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "data", "secret.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret key file: %v %v", fi, err)
	}
	other := filepath.Join(t.TempDir(), "other.key")
	if code, _, errs := run(t, "", "migrate", db, "--secret-key-file", other); code != 1 || !strings.Contains(errs, "secret key") {
		t.Errorf("another secret key accepted: %d %s", code, errs)
	}
	// Issue 11: the sweep, as a command.
	if code, out, errs := run(t, "", "sweep", db); code != 0 || !strings.Contains(out, "deleted:") {
		t.Errorf("sweep: %d %s %s", code, out, errs)
	}
	var org string
	if err := raw.QueryRow("SELECT MAX(id) FROM organizations").Scan(&org); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("DELETE FROM organization_members WHERE org_id = " + org); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("DELETE FROM organizations WHERE id = " + org); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, "", "audit", "verify", db)
	if want := "organization " + org + ": row is missing (deleted outside the application)"; code != 1 || !strings.Contains(errs, want) {
		t.Errorf("audit verify after a deletion: %d %q, want %q", code, errs, want)
	}
	// The account log is a chain of its own: a role change rewritten.
	if _, err := raw.Exec("UPDATE account_log SET actor = 'user:999' WHERE seq = 2"); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run(t, "", "audit", "verify", db)
	if code != 1 || !strings.Contains(errs, "account log broken at entry 2") {
		t.Errorf("audit verify after tampering with the account log: %d %q", code, errs)
	}
	// Tamper with entry 3 behind Concord's back: verify must name it.
	if _, err := raw.Exec("UPDATE audit_log SET action = 'nothing.happened' WHERE seq = 3"); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, _, errs = run(t, "", "audit", "verify", db)
	if code != 1 || !strings.Contains(errs, "entry 3") {
		t.Errorf("audit verify after tampering: %d %q", code, errs)
	}
}

func TestAdminPasswordFile(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("chosen-admin-password\n"), 0o600)
	code, out, errs := run(t, "", "migrate", "--database="+filepath.Join(dir, "c.db"), "--admin-password-file="+pw)
	if code != 0 || strings.Contains(out, "chosen-admin-password") || strings.Contains(out, "Created administrator account") {
		t.Errorf("password file: %d %q %q", code, out, errs)
	}
	t.Setenv("CONCORD_DATABASE_URL", filepath.Join(dir, "env.db"))
	if code, _, _ := run(t, "", "migrate", "--admin-password-file="+pw); code != 0 {
		t.Error("env twin of --database not honoured")
	}
	if _, err := os.Stat(filepath.Join(dir, "env.db")); err != nil {
		t.Errorf("CONCORD_DATABASE_URL ignored: %v", err)
	}
}
