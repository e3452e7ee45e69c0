package account

import (
	"context"
	"errors"
	"strconv"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/store"
)

// Issuer names Concord in the person's authenticator app.
const Issuer = "Concord"

// TwoFactorStatus is what the account page and GET /me/two-factor show.
type TwoFactorStatus struct {
	On       bool // sign-in asks for a code
	Required bool // the role requires it (concord.RequiresTwoFactor)
	// Pending is set while an enrolment waits for its first code: the key
	// to show again.
	Pending *auth.TOTPKey
	// RecoveryLeft counts the unused recovery codes.
	RecoveryLeft int
}

// TwoFactor returns the signed-in user's two-factor status.
func (s *Service) TwoFactor(ctx context.Context, u *concord.User) (TwoFactorStatus, error) {
	st := TwoFactorStatus{On: u.TwoFactor, Required: concord.RequiresTwoFactor(u)}
	t, err := s.DB.UserTOTP(ctx, u.ID)
	if errors.Is(err, concord.ErrNotFound) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if !t.Confirmed {
		k, err := auth.KeyOf(t.Secret, Issuer, u.Username)
		if err != nil {
			return st, err
		}
		st.Pending = &k
	}
	if st.On {
		st.RecoveryLeft, err = s.DB.RecoveryCodesLeft(ctx, u.ID)
	}
	return st, err
}

// BeginTwoFactor starts enrolment: a new secret, unconfirmed until
// ConfirmTwoFactor gets a valid code of it (starting again replaces it).
func (s *Service) BeginTwoFactor(ctx context.Context, u *concord.User) (auth.TOTPKey, error) {
	if u.TwoFactor {
		return auth.TOTPKey{}, store.ErrTwoFactorOn
	}
	k, err := auth.NewTOTPKey(Issuer, u.Username)
	if err != nil {
		return k, err
	}
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error { return tx.StartTOTP(u.ID, k.Secret) })
	return k, err
}

// ErrNoEnrolment answers a confirmation with no enrolment started.
var ErrNoEnrolment = concord.Errorf(concord.EConflict, "", "error.two_factor_not_started",
	"set up two-factor sign-in first: no authenticator is waiting for confirmation")

// ConfirmTwoFactor switches two-factor sign-in on once code is a valid code
// of the secret BeginTwoFactor made, and returns the new recovery codes,
// to be shown once (only their hashes are kept). The user's other sessions
// end; keepSession (the SessionID of the current one) stays.
func (s *Service) ConfirmTwoFactor(ctx context.Context, u *concord.User, code, keepSession string) ([]string, error) {
	if u.TwoFactor {
		return nil, store.ErrTwoFactorOn
	}
	if auth.NormalCode(code) == "" {
		return nil, concord.Errorf(concord.EInvalid, "code", "error.code_empty", "enter the six-digit code your authenticator app shows")
	}
	key := "code:" + strconv.FormatInt(u.ID, 10)
	ok, _, retry, err := s.DB.LoginAttempt(ctx, key, auth.Reset, auth.CodeRule.Free, auth.CodeRule.Waits())
	if err != nil {
		return nil, err
	}
	if !ok {
		wait := max(retry.Sub(s.DB.Now()), time.Second).Round(time.Second)
		return nil, &auth.Throttled{Err: concord.Errorf(concord.ETooMany, "code", "error.too_many_codes", "too many wrong codes; try again in %v", wait), RetryAfter: wait}
	}
	codes, hashes := auth.NewRecoveryCodes()
	err = s.DB.Update(ctx, concord.Actor(u), func(tx *store.Tx) error {
		t, err := tx.UserTOTP(u.ID)
		if errors.Is(err, concord.ErrNotFound) || err == nil && t.Confirmed {
			return ErrNoEnrolment
		}
		if err != nil {
			return err
		}
		step, ok := auth.CheckTOTP(t.Secret, code, auth.Clock())
		if !ok {
			return auth.ErrBadCode
		}
		return tx.EnableTOTP(u.ID, step, hashes, keepSession)
	})
	if err != nil {
		return nil, err
	}
	return codes, s.DB.LoginClear(ctx, key)
}

// DisableTwoFactor switches two-factor sign-in off for the signed-in user,
// who proves it is them with their password and a current code (or a
// recovery code). Every problem of the request is answered at once.
func (s *Service) DisableTwoFactor(ctx context.Context, u *concord.User, password, code string) error {
	if !u.TwoFactor {
		return concord.Errorf(concord.EConflict, "", "error.two_factor_off", "two-factor sign-in is not on")
	}
	var errs concord.Errors
	if password == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "password", "error.password_required", "enter your password"))
	}
	if auth.NormalCode(code) == "" {
		errs.Add(concord.Errorf(concord.EInvalid, "code", "error.code_empty", "enter the six-digit code your authenticator app shows"))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	_, hash, err := s.DB.UserByUsername(ctx, u.Username)
	if err != nil {
		return err
	}
	if !auth.VerifyPassword(password, hash) {
		return concord.Errorf(concord.EInvalid, "password", "error.wrong_password", "wrong password")
	}
	return auth.WithCode(ctx, s.DB, s.Log, *u, code, func(tx *store.Tx) error { return tx.DisableTOTP(u.ID) })
}

// RegenerateRecoveryCodes replaces the signed-in user's recovery codes,
// given a current code, and returns the new ones to be shown once.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, u *concord.User, code string) ([]string, error) {
	if !u.TwoFactor {
		return nil, concord.Errorf(concord.EConflict, "", "error.two_factor_off", "two-factor sign-in is not on")
	}
	if auth.NormalCode(code) == "" {
		return nil, concord.Errorf(concord.EInvalid, "code", "error.code_empty", "enter the six-digit code your authenticator app shows")
	}
	codes, hashes := auth.NewRecoveryCodes()
	err := auth.WithCode(ctx, s.DB, s.Log, *u, code, func(tx *store.Tx) error { return tx.SetRecoveryCodes(u.ID, hashes) })
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// EnrolWithSecret switches two-factor sign-in on for the account username
// with a secret given by an operator (the command line, for test and
// demonstration accounts), replacing any, and returns new recovery codes.
func (s *Service) EnrolWithSecret(ctx context.Context, username, secret string) ([]string, error) {
	secret = auth.NormalSecret(secret)
	if secret == "" {
		return nil, concord.Errorf(concord.EInvalid, "secret", "error.totp_secret", "the secret must be base32 of at least 128 bits (26 characters)")
	}
	codes, hashes := auth.NewRecoveryCodes()
	err := s.DB.Update(ctx, "system", func(tx *store.Tx) error {
		u, err := tx.UserForUpdate(username)
		if err != nil {
			return err
		}
		if err := tx.DisableTOTP(u.ID); err != nil {
			return err
		}
		if err := tx.StartTOTP(u.ID, secret); err != nil {
			return err
		}
		return tx.EnableTOTP(u.ID, 0, hashes, "")
	})
	return codes, err
}
