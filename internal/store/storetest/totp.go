package storetest

import (
	"context"
	"testing"
	"time"

	"concord/internal/store"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// TOTPSecret is the authenticator secret EnrolTOTP gives test accounts.
const TOTPSecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// EnrolTOTP switches two-factor sign-in on for userID, inside tx, with
// TOTPSecret: the accounts of roles that require it (the Secretariat, the
// Chair) can then act. It ends the user's sessions: open them after.
func EnrolTOTP(tx *store.Tx, userID int64) error {
	if err := tx.StartTOTP(userID, TOTPSecret); err != nil {
		return err
	}
	return tx.EnableTOTP(userID, 0, nil, "")
}

// TOTPCode returns a code of TOTPSecret that userID has not used: of the
// earliest step the server accepts now (one step either side of the
// current one) that is later than the last one used, waiting for the next
// step when all three are used. Tests that sign one account in several
// times need it, since a code is accepted once.
func TOTPCode(t testing.TB, db *store.DB, userID int64) string {
	t.Helper()
	for {
		last := int64(0)
		if s, err := db.UserTOTP(context.Background(), userID); err == nil {
			last = s.LastStep
		}
		t0 := time.Now().Unix()
		now := t0 / 30
		step := max(now-1, last+1)
		if step == now-1 && t0%30 > 27 {
			step = now // the previous step is about to leave the window
		}
		if step <= now+1 {
			c, err := totp.GenerateCodeCustom(TOTPSecret, time.Unix(step*30, 0),
				totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		time.Sleep(time.Until(time.Unix((now+1)*30, 0)) + 50*time.Millisecond)
	}
}
