// Package passkeytest is a software passkey for tests: an ES256 key that
// answers WebAuthn ceremonies as a browser and its authenticator would
// (attestation "none", user present and verified), so the whole ceremony
// is checked by the real library without a browser.
package passkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
)

// Authenticator is one passkey, made by Create. Origin is where the
// browser says it answers from.
type Authenticator struct {
	Origin string
	key    *ecdsa.PrivateKey
	ID     []byte // the credential's ID
	handle []byte // the user handle it was made for
	rpID   string
	Count  uint32 // the signature counter, raised at each Get
}

// New returns an authenticator answering from origin, with a fresh key.
func New(origin string) *Authenticator {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	id := make([]byte, 16)
	rand.Read(id)
	return &Authenticator{Origin: origin, key: k, ID: id}
}

type options struct {
	PublicKey struct {
		Challenge string `json:"challenge"`
		RPID      string `json:"rpId"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	} `json:"publicKey"`
}

var b64 = base64.RawURLEncoding

func (a *Authenticator) clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
	return b
}

func (a *Authenticator) authData(flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(a.rpID))
	d := append(h[:], flags)
	d = binary.BigEndian.AppendUint32(d, a.Count)
	return append(d, attested...)
}

// Create answers a registration's options (the JSON with "publicKey") with
// the JSON of the new PublicKeyCredential.
func (a *Authenticator) Create(opts []byte) ([]byte, error) {
	var o options
	if err := json.Unmarshal(opts, &o); err != nil {
		return nil, err
	}
	a.rpID = o.PublicKey.RP.ID
	handle, err := b64.DecodeString(o.PublicKey.User.ID)
	if err != nil {
		return nil, err
	}
	a.handle = handle
	// The uncompressed point: 0x04, then X and Y of 32 bytes each.
	pt, err := a.key.PublicKey.Bytes()
	if err != nil {
		return nil, err
	}
	x, y := pt[1:33], pt[33:65]
	cose, err := webauthncbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		return nil, err
	}
	att := make([]byte, 16) // AAGUID: none
	att = binary.BigEndian.AppendUint16(att, uint16(len(a.ID)))
	att = append(att, a.ID...)
	att = append(att, cose...)
	obj, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": a.authData(0x45, att)})
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"id": b64.EncodeToString(a.ID), "rawId": b64.EncodeToString(a.ID), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(a.clientData("webauthn.create", o.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(obj), "transports": []string{"internal"}}})
}

// Get answers a sign-in's options with the JSON of the assertion.
func (a *Authenticator) Get(opts []byte) ([]byte, error) {
	var o options
	if err := json.Unmarshal(opts, &o); err != nil {
		return nil, err
	}
	if a.handle == nil {
		return nil, errors.New("passkeytest: Create first")
	}
	a.rpID = o.PublicKey.RPID
	a.Count++
	ad := a.authData(0x05, nil)
	cd := a.clientData("webauthn.get", o.PublicKey.Challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, digest[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"id": b64.EncodeToString(a.ID), "rawId": b64.EncodeToString(a.ID), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(a.handle)}})
}
