package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// userCmd handles "user create|password|role".
func userCmd(ctx context.Context, c *Config, fs *flag.FlagSet, args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: concord user create|password|role -username U [flags]")
	}
	sub := args[0]
	username := fs.String("username", "", "account name")
	role := fs.String("role", "", "secretariat, chair, co-facilitator, delegate or focal-point")
	state := fs.String("state", "", "ISO3 code of a delegate's State")
	org := fs.Int64("org", 0, "organisation id of a focal point")
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
		return auth.HashPassword(strings.TrimRight(line, "\r\n"))
	}
	switch sub {
	case "create":
		hash, err := readPassword()
		if err != nil {
			return err
		}
		u := concord.User{Username: *username, Role: concord.Role(*role), State: strings.ToUpper(*state), OrgID: *org}
		if err := db.Update(ctx, "system", func(tx *store.Tx) error { return tx.CreateUser(&u, hash) }); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s (%s)\n", u.Username, u.Role)
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
	default:
		return fmt.Errorf("unknown user command %q", sub)
	}
	return nil
}
