package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// SecretKeySize is the length of the key that seals stored secrets
// (AES-256).
const SecretKeySize = 32

// sealPrefix marks a sealed value: version 1 is AES-256-GCM with a random
// 12-byte nonce, base64url(nonce || ciphertext). Base32 TOTP secrets
// never contain ':', so a value without it is a legacy readable one.
const sealPrefix = "v1:"

// ErrNoSecretKey is returned when a secret is to be stored or read before
// SetSecretKey gave the store its key.
var ErrNoSecretKey = errors.New("store: no secret key (SetSecretKey)")

// SetSecretKey gives the store the key that seals secrets it keeps (the
// TOTP shared secrets): a database copied or leaked without the key file
// does not give away anyone's second factor.
func (db *DB) SetSecretKey(key []byte) error {
	if len(key) != SecretKeySize {
		return fmt.Errorf("secret key: %d bytes, want %d", len(key), SecretKeySize)
	}
	b, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	db.aead, err = cipher.NewGCM(b)
	return err
}

// seal encrypts plain, bound to context (the table and row it belongs to:
// a sealed value copied to another user's row does not open).
func (db *DB) seal(plain, context string) (string, error) {
	if db.aead == nil {
		return "", ErrNoSecretKey
	}
	nonce := make([]byte, db.aead.NonceSize())
	rand.Read(nonce)
	out := db.aead.Seal(nonce, nonce, []byte(plain), []byte(context))
	return sealPrefix + base64.RawURLEncoding.EncodeToString(out), nil
}

// open decrypts a value seal made for context. A legacy value (stored
// before sealing existed, or by an older instance during an upgrade) is
// returned as it is; SealSecrets seals it.
func (db *DB) open(stored, context string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealPrefix)
	if !ok {
		return stored, nil
	}
	if db.aead == nil {
		return "", ErrNoSecretKey
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	n := db.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", errors.New("store: malformed sealed secret")
	}
	plain, err := db.aead.Open(nil, raw[:n], raw[n:], []byte(context))
	if err != nil {
		return "", errors.New("store: a sealed secret does not open with this secret key (wrong --secret-key-file?)")
	}
	return string(plain), nil
}

func totpContext(userID int64) string { return "totp_secrets:" + strconv.FormatInt(userID, 10) }

// SealSecrets seals the TOTP secrets still stored readable (rows written
// before sealing existed) and checks that one sealed secret opens with the
// store's key, so a server started with the wrong key file stops at once
// rather than refusing every code. It returns how many rows it sealed.
func (db *DB) SealSecrets(ctx context.Context) (int, error) {
	if db.aead == nil {
		return 0, ErrNoSecretKey
	}
	type row struct {
		id     int64
		secret string
	}
	rows, err := queryAll(ctx, db.r(), func(sc interface{ Scan(...any) error }) (row, error) {
		var r row
		return r, sc.Scan(&r.id, &r.secret)
	}, "SELECT user_id, secret FROM totp_secrets ORDER BY user_id")
	if err != nil {
		return 0, err
	}
	n, checked := 0, false
	for _, r := range rows {
		if strings.HasPrefix(r.secret, sealPrefix) {
			if !checked {
				if _, err := db.open(r.secret, totpContext(r.id)); err != nil {
					return 0, err
				}
				checked = true
			}
			continue
		}
		sealed, err := db.seal(r.secret, totpContext(r.id))
		if err != nil {
			return n, err
		}
		// Conditional on the old value: a secret replaced meanwhile is left alone.
		db.writes.Add(1)
		res, err := db.write.ExecContext(ctx, "UPDATE totp_secrets SET secret = $1 WHERE user_id = $2 AND secret = $3", sealed, r.id, r.secret)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k == 1 {
			n++
		}
	}
	return n, nil
}

// LoadSecretKey reads the key from path, creating the file (mode 0600,
// with its directory) holding a new random key when it does not exist.
// The file holds the key in base64.
func LoadSecretKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, SecretKeySize)
		rand.Read(key)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
		// Written aside and linked into place: the link fails when another
		// instance made the file first, and nobody reads a half-written key.
		tmp, err := os.CreateTemp(filepath.Dir(path), ".secret-key-*")
		if err != nil {
			return nil, err
		}
		defer os.Remove(tmp.Name())
		_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
		if err = errors.Join(err, tmp.Chmod(0o600), tmp.Sync(), tmp.Close()); err != nil {
			return nil, err
		}
		if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
			return LoadSecretKey(path)
		} else if err != nil {
			return nil, err
		}
		return key, nil
	}
	if err != nil {
		return nil, err
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) != SecretKeySize {
		return nil, fmt.Errorf("secret key file %s: want %d bytes in base64", path, SecretKeySize)
	}
	return key, nil
}
