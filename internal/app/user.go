package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"concord"
	"concord/internal/account"
	"concord/internal/auth"
	"concord/internal/i18n"
	"concord/internal/store"
)

// userCmd handles "user create|password|role|totp".
func userCmd(ctx context.Context, c *Config, fs *flag.FlagSet, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: concord user create|password|role|totp -username U [flags]")
	}
	sub := args[0]
	username := fs.String("username", "", "account name")
	role := fs.String("role", "", "secretariat, chair, co-facilitator, delegate or focal-point (see concord help; no default)")
	state := fs.String("state", "", "ISO3 code of a delegate's State")
	org := fs.Int64("org", 0, "organisation id of a focal point")
	email := fs.String("email", "", "email address (create): a verification link is sent to it")
	invite := fs.Bool("invite", false, "create without a password: email an invitation link with which the person chooses one (needs -email)")
	lang := fs.String("lang", "en", "language of the email sent (ar zh en fr ru es)")
	secretFile := fs.String("totp-secret-file", "", "totp: file holding the base32 secret to enrol (else one is generated)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("-username is required")
	}
	db, err := openDB(ctx, *c, io.Discard)
	if err != nil {
		return err
	}
	defer db.Close()
	readPassword := func() (string, error) {
		fmt.Fprintln(stdout, "password (12 characters or more), then Enter:")
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("reading password: %w", err)
		}
		return auth.HashUserPassword(strings.TrimRight(line, "\r\n"), *username)
	}
	if !concord.IsLanguage(*lang) {
		return fmt.Errorf("-lang must be one of ar zh en fr ru es")
	}
	switch sub {
	case "create":
		if *invite && *email == "" {
			return errors.New("-invite needs -email")
		}
		hash := store.NoPassword
		if !*invite {
			if hash, err = readPassword(); err != nil {
				return err
			}
		}
		cat, err := i18n.New()
		if err != nil {
			return err
		}
		acc := &account.Service{DB: db, Cat: cat, BaseURL: strings.TrimSuffix(c.BaseURL, "/")}
		u := concord.User{Username: *username, Role: concord.Role(*role), State: strings.ToUpper(*state), OrgID: *org, Email: strings.TrimSpace(*email)}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			if err := tx.CreateUser(&u, hash); err != nil {
				return err
			}
			if err := tx.AppointStaff(u); err != nil {
				return err
			}
			return acc.Welcome(tx, u, *invite, *lang)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Username, u.Role)
		if u.Email != "" {
			fmt.Fprintf(stdout, "an email to %s waits in the outbox; serve sends it when SMTP is configured\n", u.Email)
		}
	case "password":
		hash, err := readPassword()
		if err != nil {
			return err
		}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.SetPassword(*username, hash) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s reset; its sessions ended\n", *username)
	case "role":
		if err := db.Update(ctx, "system", func(tx *store.Tx) error {
			return tx.SetRole(*username, concord.Role(*role), strings.ToUpper(*state), *org)
		}); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s is now %s\n", *username, *role)
	case "totp":
		// Two-factor sign-in switched on from the command line: for test
		// and demonstration accounts, or an operator re-enrolling someone
		// who lost their phone and their recovery codes.
		secret := ""
		if *secretFile != "" {
			b, err := os.ReadFile(*secretFile)
			if err != nil {
				return fmt.Errorf("totp secret file: %w", err)
			}
			secret = string(b)
		} else {
			k, err := auth.NewTOTPKey(account.Issuer, *username)
			if err != nil {
				return err
			}
			secret = k.Secret
		}
		acc := &account.Service{DB: db}
		codes, err := acc.EnrolWithSecret(ctx, *username, secret)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, auth.NormalSecret(secret))
		fmt.Fprintf(stdout, "two-factor sign-in is on for %s: the line above is its authenticator secret; recovery codes, each usable once:\n", *username)
		for _, c := range codes {
			fmt.Fprintln(stdout, c)
		}
	default:
		return fmt.Errorf("unknown user command %q", sub)
	}
	return nil
}
