// Package app wires Concord together: configuration from flags and
// environment variables, the subcommands, and the server's life cycle.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"concord"
	"concord/internal/account"
	"concord/internal/accredit"
	"concord/internal/api"
	"concord/internal/audit"
	"concord/internal/auth"
	"concord/internal/cofac"
	"concord/internal/decide"
	"concord/internal/delegations"
	"concord/internal/digest"
	"concord/internal/i18n"
	"concord/internal/notify"
	"concord/internal/outbox"
	"concord/internal/pocs"
	"concord/internal/seed"
	"concord/internal/signup"
	"concord/internal/store"
	"concord/internal/sweep"
	"concord/internal/web"
)

// Version is set at build time with -ldflags "-X concord/internal/app.Version=...".
var Version = "dev"

// Config is the configuration shared by the subcommands. Each field has a
// flag and an environment-variable twin (CONCORD_...).
type Config struct {
	DatabaseURL       string // postgres://... or a SQLite file path
	Addr              string
	AdminPasswordFile string
	Secure            bool
	LogFormat         string
	BaseURL           string // public address, for links in emails
	SMTPAddr          string // host:port of the SMTP relay; empty: inbox only
	SMTPFrom          string
	SMTPUser          string
	SMTPPasswordFile  string
	ClockOffset       string // shifts the clock, for demonstrations and browser tests of deadlines
	MailDir           string // writes outgoing mail to this directory instead of SMTP (tests only)
	TrustedProxy      string // CIDRs of reverse proxies whose X-Forwarded-For is believed
	SecretKeyFile     string // key sealing stored secrets; default secret.key beside the SQLite file
	MailRetention     string // how long sent mail is kept (a duration)
}

type option struct {
	name, env, def, help string
	dst                  *string
}

func options(c *Config) []option {
	return []option{
		{"database", "CONCORD_DATABASE_URL", "data/concord.db", "SQLite file path or postgres:// URL", &c.DatabaseURL},
		{"addr", "CONCORD_ADDR", "127.0.0.1:8080", "address to listen on (serve)", &c.Addr},
		{"admin-password-file", "CONCORD_ADMIN_PASSWORD_FILE", "", "file holding the first administrator's password (else one is generated and printed once)", &c.AdminPasswordFile},
		{"log-format", "CONCORD_LOG_FORMAT", "text", "log format: text or json", &c.LogFormat},
		{"base-url", "CONCORD_BASE_URL", "http://127.0.0.1:8080", "public address of this instance, for links in emails", &c.BaseURL},
		{"smtp-addr", "CONCORD_SMTP_ADDR", "", "SMTP relay host:port; notices also go by email when set", &c.SMTPAddr},
		{"smtp-from", "CONCORD_SMTP_FROM", "Concord <noreply@localhost>", "sender of notice emails", &c.SMTPFrom},
		{"smtp-user", "CONCORD_SMTP_USER", "", "SMTP username (PLAIN auth over TLS)", &c.SMTPUser},
		{"smtp-password-file", "CONCORD_SMTP_PASSWORD_FILE", "", "file holding the SMTP password", &c.SMTPPasswordFile},
		{"mail-dir", "CONCORD_MAIL_DIR", "", "write outgoing mail as .eml files to this directory instead of sending it (browser tests; the files hold live links: never in production)", &c.MailDir},
		{"trusted-proxy", "CONCORD_TRUSTED_PROXY", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client, for sign-in throttling (default none: the connection's peer)", &c.TrustedProxy},
		{"secret-key-file", "CONCORD_SECRET_KEY_FILE", "", "file holding the key that encrypts stored TOTP secrets, created (mode 0600) when missing; default secret.key in the SQLite database's directory, or data/secret.key with PostgreSQL (every instance must share it)", &c.SecretKeyFile},
		{"mail-retention", "CONCORD_MAIL_RETENTION", "2160h", "how long sent mail is kept in the outbox before the sweep deletes it", &c.MailRetention},
		{"clock-offset", "CONCORD_CLOCK_OFFSET", "", "shift the server's clock by this duration (e.g. 360h), to demonstrate or test deadlines; never in production", &c.ClockOffset},
	}
}

// flags registers the shared flags on fs, with environment defaults.
func (c *Config) flags(fs *flag.FlagSet) {
	for _, o := range options(c) {
		def := o.def
		if v := os.Getenv(o.env); v != "" {
			def = v
		}
		fs.StringVar(o.dst, o.name, def, o.help+" ($"+o.env+")")
	}
	secure := os.Getenv("CONCORD_SECURE") == "true"
	fs.BoolVar(&c.Secure, "secure", secure, "serve behind HTTPS: Secure, __Host- cookies ($CONCORD_SECURE)")
}

const usage = `Concord runs a consensus-based multilateral process with its stakeholders.

Usage: concord <command> [flags]

Commands:
  serve           start the web server (migrates and loads the Global Mechanism first)
  migrate         apply database migrations and load reference data
  seed --demo     add a realistic demo dataset
  seed --scale N  add a large synthetic dataset (N × 5,000 organisations, N × 20,000 persons, N × 1,000 meetings,
                  N × 1,000 delegates)
  user create     create an account:   user create -username U -role R [-state ISO3] [-org ID] [-email E] (password on stdin)
                  -email sends a link to verify the address; with -invite, no password is
                  read and the link lets the person choose one (7 days); -lang sets the
                  language of that email (ar zh en fr ru es; default en)
  user password   reset a password:    user password -username U (password on stdin)
  user role       change a role:       user role -username U -role R [-state ISO3] [-org ID]
  sweep           delete expired sessions, used or expired single-use links and mail
                  sent more than -mail-retention ago (serve also does it every hour)
  audit verify    re-walk the audit hash chains and check every audited row
                  against its last entry; exit 1 at the first mismatch
  version         print the version
  help            this text

Roles (-role; there is no default):
  secretariat     runs the process: accounts, registry, accreditation, rules of procedure;
                  the most powerful role, for Secretariat staff only
  chair           decides and defers decisions, proposes co-facilitators and topics
  co-facilitator  co-facilitates a Dedicated Thematic Group
  delegate        acts for one State (-state ISO3): positions, objections, nominations
  focal-point     acts for one stakeholder organisation (-org ID): profile, applications

A Secretariat, Chair or co-facilitator account is created with a term from now and no
end; the Secretariat dates and ends terms on the appointments page (/admin/appointments,
POST /api/v1/appointments), where it also appoints, for a term:
  delegation-manager  a delegate who invites and removes its own State's delegates and
                      says which of them may speak for the State (delegates are invited
                      by their managers, not created here)
  group-speaker       a delegate who takes positions for a named group (scope group-N)
Outside its term a post grants nothing.

Flags shared by every command (each has an environment twin):
`

// Main runs the command line; it returns the process exit code.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		args = []string{"help"}
	}
	var c Config
	fs := flag.NewFlagSet("concord", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c.flags(fs)
	help := func() {
		fmt.Fprint(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "help", "-h", "--help":
		help()
		return 0
	case "version":
		fmt.Fprintln(stdout, "concord", version())
		return 0
	case "serve":
		if err = fs.Parse(rest); err == nil {
			err = serve(ctx, c, stdout)
		}
	case "migrate":
		if err = fs.Parse(rest); err == nil {
			var db *store.DB
			if db, err = openDB(ctx, c, stdout); err == nil {
				db.Close()
			}
		}
	case "seed":
		demo := fs.Bool("demo", false, "add the demo dataset")
		scale := fs.Int("scale", 0, "add N × (5,000 organisations, 20,000 persons, 1,000 meetings)")
		if err = fs.Parse(rest); err == nil {
			err = runSeed(ctx, c, stdout, *demo, *scale)
		}
	case "sweep":
		if err = fs.Parse(rest); err == nil {
			err = runSweep(ctx, c, stdout)
		}
	case "user":
		err = userCmd(ctx, &c, fs, rest, stdin, stdout)
	case "audit":
		if len(rest) == 0 || rest[0] != "verify" {
			err = errors.New("usage: concord audit verify")
			break
		}
		if err = fs.Parse(rest[1:]); err == nil {
			err = auditVerify(ctx, c, stdout)
		}
	default:
		fmt.Fprintf(stderr, "concord: unknown command %q\n\n", cmd)
		help()
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "concord:", err)
		return 1
	}
	return 0
}

func version() string {
	if Version != "dev" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return "dev-" + s.Value[:12]
			}
		}
	}
	return Version
}

// openDB opens the store, migrates it, loads the Global Mechanism and makes
// sure an administrator exists.
func openDB(ctx context.Context, c Config, stdout io.Writer) (*store.DB, error) {
	db, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return nil, err
	}
	if c.ClockOffset != "" {
		off, err := time.ParseDuration(c.ClockOffset)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("clock offset: %w", err)
		}
		db.Now = func() time.Time { return time.Now().Add(off) }
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if err := db.Bootstrap(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("load reference data: %w", err)
	}
	key, err := store.LoadSecretKey(secretKeyPath(c))
	if err == nil {
		err = db.SetSecretKey(key)
	}
	if err == nil {
		_, err = db.SealSecrets(ctx) // rows from before sealing; checks the key
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	if err := ensureAdmin(ctx, db, c, stdout); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// secretKeyPath is the key file: the flag's, else secret.key in the data
// directory (the SQLite database's).
func secretKeyPath(c Config) string {
	if c.SecretKeyFile != "" {
		return c.SecretKeyFile
	}
	if strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return filepath.Join("data", "secret.key")
	}
	return filepath.Join(filepath.Dir(c.DatabaseURL), "secret.key")
}

// ensureAdmin creates the first Secretariat account when there is none. Its
// password comes from a file, or is generated and printed this once.
func ensureAdmin(ctx context.Context, db *store.DB, c Config, stdout io.Writer) error {
	n, err := db.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	pw, printed := "", false
	if c.AdminPasswordFile != "" {
		b, err := os.ReadFile(c.AdminPasswordFile)
		if err != nil {
			return fmt.Errorf("admin password file: %w", err)
		}
		pw = strings.TrimSpace(string(b))
	} else {
		pw, printed = auth.GeneratePassword(), true
	}
	hash, err := auth.HashUserPassword(pw, "admin")
	if err != nil {
		return fmt.Errorf("admin password: %w", err)
	}
	u := concord.User{Username: "admin", Name: "Secretariat administrator", Role: concord.RoleSecretariat}
	err = db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&u, hash) })
	if concord.ErrorCode(err) == concord.EConflict {
		return nil // another instance created it at the same moment
	}
	if err != nil {
		return err
	}
	if printed {
		fmt.Fprintf(stdout, "\nCreated administrator account %q with password:\n\n    %s\n\nIt is shown only this once.\n\n", u.Username, pw)
	}
	return nil
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// NewServer wires the pages and the API over an open store; tests adjust
// it before calling Handler.
func NewServer(db *store.DB, log *slog.Logger, secure bool) (*web.Server, error) {
	return newServer(db, log, secure, &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: log})
}

func newServer(db *store.DB, log *slog.Logger, secure bool, acc *accredit.Service) (*web.Server, error) {
	cat, err := i18n.New()
	if err != nil {
		return nil, err
	}
	// One accreditation service for pages and API: one path for every rule.
	dec := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	cf := &cofac.Service{DB: db, Decide: dec, Process: concord.DefaultProcessCode}
	accounts := &account.Service{DB: db, Cat: cat, Log: log, BaseURL: acc.BaseURL}
	signups := &signup.Service{DB: db, Cat: cat, Log: log, Account: accounts, Email: acc.Email}
	dels := &delegations.Service{DB: db, Cat: cat, Log: log, Account: accounts}
	// Passkeys for the default public address until serve reads its own.
	pk, err := auth.NewPasskeys(db, "http://localhost:8080")
	if err != nil {
		return nil, err
	}
	a := &api.API{DB: db, Cat: cat, Log: log, Accredit: acc, Decide: dec, CoFac: cf, Account: accounts, Signup: signups, Delegations: dels, Passkeys: pk}
	return &web.Server{DB: db, Cat: cat, Log: log, Secure: secure, API: a.Handler(), APIError: a.WriteError, APIQuery: a.QueryParams,
		VersionTTL: web.DefaultVersionTTL, Accredit: acc, Decide: dec, CoFac: cf, Account: accounts, Signup: signups, Delegations: dels, Passkeys: pk}, nil
}

// NewHandler builds the HTTP handler over an open store.
func NewHandler(db *store.DB, log *slog.Logger, secure bool) (http.Handler, error) {
	s, err := NewServer(db, log, secure)
	if err != nil {
		return nil, err
	}
	return s.Handler()
}

func serve(ctx context.Context, c Config, stdout io.Writer) error {
	log := newLogger(c, stdout)
	proxies, err := auth.ParseProxies(c.TrustedProxy)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, c, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	mail := notify.SMTP{Addr: c.SMTPAddr, From: c.SMTPFrom, Username: c.SMTPUser}
	if c.SMTPPasswordFile != "" {
		b, err := os.ReadFile(c.SMTPPasswordFile)
		if err != nil {
			return fmt.Errorf("smtp password file: %w", err)
		}
		mail.Password = strings.TrimSpace(string(b))
	}
	// The outbox sender: mail written by any instance is sent by whichever
	// claims it first, after the write committed.
	var sender notify.Sender
	switch {
	case c.MailDir != "":
		if err := os.MkdirAll(c.MailDir, 0o700); err != nil {
			return err
		}
		sender = notify.Dir{Path: c.MailDir, From: c.SMTPFrom}
		log.Warn("outgoing mail is written to a directory, not sent", "dir", c.MailDir)
	case mail.Enabled():
		sender = mail
	}
	acc := &accredit.Service{DB: db, Process: concord.DefaultProcessCode, Log: log, Email: sender != nil, BaseURL: strings.TrimSuffix(c.BaseURL, "/")}
	s, err := newServer(db, log, c.Secure, acc)
	if err != nil {
		return err
	}
	s.Account.BaseURL = strings.TrimSuffix(c.BaseURL, "/")
	// Passkeys belong to the public address's host: a browser offers them
	// only to pages of that host (and never to an IP address).
	if err := s.Passkeys.SetBaseURL(s.Account.BaseURL); errors.Is(err, auth.ErrPasskeysNeedHost) {
		log.Warn(err.Error(), "base_url", s.Account.BaseURL)
	} else if err != nil {
		return err
	}
	s.Decide.Email, s.Decide.BaseURL = sender != nil, strings.TrimSuffix(c.BaseURL, "/")
	s.Account.NoMail = sender == nil
	s.Account.Background = true
	s.Proxies = proxies
	h, err := s.Handler()
	if err != nil {
		return err
	}
	// The deadline scheduler: rounds are decided at their deadline whether
	// or not anyone looks. Every instance runs it; deciding is idempotent
	// and writes are serialised, so several instances agree.
	schedCtx, stopSched := context.WithCancel(ctx)
	defer stopSched()
	go acc.Run(schedCtx, 15*time.Second)
	// Ping rounds close at their deadline and remind before it, the same way.
	pingSched := &pocs.Service{DB: db, Process: concord.DefaultProcessCode, Cat: s.Cat, Log: log, BaseURL: s.Account.BaseURL}
	go pingSched.Run(schedCtx, 15*time.Second)
	go s.Decide.RunReminders(schedCtx, 15*time.Second, log)
	if sender != nil {
		dg := &digest.Service{DB: db, Cat: s.Cat, BaseURL: s.Decide.BaseURL}
		go dg.Run(schedCtx, time.Minute, log)
	}
	if sender != nil {
		ob := &outbox.Sender{DB: db, Mail: sender, Log: log}
		go ob.Run(schedCtx, 2*time.Second)
	}
	retention, err := time.ParseDuration(c.MailRetention)
	if err != nil {
		return fmt.Errorf("mail retention: %w", err)
	}
	sw := &sweep.Service{DB: db, MailRetention: retention, Log: log}
	go sw.Run(schedCtx, time.Hour)
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	log.Info("concord serving", "url", "http://"+ln.Addr().String()+"/", "database", redact(c.DatabaseURL), "version", version())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	s.Account.Wait() // reset links being made go into the outbox before exit
	return err
}

// runSweep deletes, once, what the server's hourly sweep deletes.
func runSweep(ctx context.Context, c Config, stdout io.Writer) error {
	retention, err := time.ParseDuration(c.MailRetention)
	if err != nil {
		return fmt.Errorf("mail retention: %w", err)
	}
	db, err := openDB(ctx, c, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	s, err := (&sweep.Service{DB: db, MailRetention: retention}).Once(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted: %d expired sessions, %d unfinished sign-ins, %d used or expired links, %d sent mails, %d sign-in counters; sealed %d TOTP secrets\n",
		s.Sessions, s.PendingLogins+s.Challenges, s.Links, s.Mail, s.Throttles, s.Sealed)
	return nil
}

// redact hides a password in a database URL for logs.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn[:i], ":") {
		if j := strings.Index(dsn, "://"); j > 0 {
			return dsn[:j+3] + "***" + dsn[i:]
		}
	}
	return filepath.Clean(dsn)
}

func auditVerify(ctx context.Context, c Config, stdout io.Writer) error {
	db, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.VerifyAudit(ctx); err != nil {
		var be *audit.BrokenError
		if errors.As(err, &be) {
			log := "audit log"
			if strings.HasPrefix(err.Error(), "account log") {
				log = "account log"
			}
			return fmt.Errorf("%s broken at entry %d: %s", log, be.Seq, be.Reason)
		}
		return err
	}
	// The chain can be intact while a table was edited behind it.
	if err := db.VerifyRows(ctx); err != nil {
		var re *store.RowError
		if errors.As(err, &re) {
			return fmt.Errorf("audit log intact, but a row does not match it: %w", err)
		}
		return err
	}
	head, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "audit log intact: %d entries; every audited row matches its last entry\n", head)
	return nil
}

func runSeed(ctx context.Context, c Config, stdout io.Writer, demo bool, scale int) error {
	if !demo && scale <= 0 {
		return errors.New("seed: give --demo or --scale N")
	}
	db, err := openDB(ctx, c, stdout)
	if err != nil {
		return err
	}
	defer db.Close()
	if demo {
		if err := seed.Demo(ctx, db); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "demo dataset loaded")
	}
	if scale > 0 {
		start := time.Now()
		if err := seed.Scale(ctx, db, scale); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "scale dataset ×%d loaded in %s\n", scale, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

// RouteList returns "METHOD pattern" for every HTML route (with {lang}) and
// API route, for the permission-matrix test.
func RouteList() []string {
	var out []string
	for _, r := range (&web.Server{}).Routes() {
		p := "/{lang}" + r.Path
		p = strings.TrimSuffix(p, "{$}")
		out = append(out, r.Method+" "+p)
	}
	for _, r := range (&api.API{}).Routes() {
		out = append(out, r.Method+" /api/v1"+r.Path)
	}
	return out
}
