// Package audit is the pure (database-free) core of Concord's tamper-evident
// audit log.
//
// Every audited write produces an [Entry]. Entries form a hash chain: each
// entry's Hash covers all of its fields plus the Hash of the previous entry, so
// editing, deleting or reordering stored rows is detected by [Verify].
//
// A hash chain alone cannot detect an attacker who rewrites a row and then
// re-seals every later row. To catch that, the entry hashes are also the
// leaves of an RFC 6962 Merkle tree (golang.org/x/mod/sumdb/tlog) whose root is
// periodically signed as a checkpoint (golang.org/x/mod/sumdb/note, Ed25519).
// Anyone holding an old signed checkpoint can demand a consistency proof that
// the current tree extends it; a rewritten history cannot produce one.
//
// Indexing: Entry.Seq is 1-based (the first entry has Seq 1). The Merkle tree
// uses 0-based record indexes, so entry Seq s is tlog record s-1, and a tree
// (checkpoint) of size n covers exactly the entries with Seq 1..n. The exported
// functions in this package take Seq values or tree sizes; only
// [StoredHashesFor] takes a 0-based record index, because it mirrors
// tlog.StoredHashes.
package audit

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"iter"
	"time"
)

// HashSize is the size in bytes of every digest and hash in this package
// (SHA-256).
const HashSize = sha256.Size

// entryDomain is the domain-separation tag that starts every encoded entry.
// It pins the encoding version: a future incompatible encoding must use a new
// tag, never alter this one, or every stored hash would stop verifying.
const entryDomain = "concord/audit/entry/v1"

// saltedDomain starts the encoding of an entry that carries a [Entry.Salt]:
// the v1 encoding followed by the salt. Entries without a salt keep v1, so
// every hash stored before salts existed still verifies.
const saltedDomain = "concord/audit/entry/v2"

// SaltSize is the size of the random salt of a confidential entry.
const SaltSize = 32

// Entry is one audited write.
type Entry struct {
	Seq        int64     // 1-based position in the log
	At         time.Time // UTC, truncated to microseconds by the caller
	Actor      string    // "user:12", "system", ...
	Action     string    // "organization.create", ...
	ObjectType string
	ObjectID   string
	Before     []byte // SHA-256 digest of the canonical JSON of the object before the write (nil for create)
	After      []byte // same after (nil for delete)
	Public     bool   // false when policy marks the entry confidential (the public log then redacts actor/object id)
	PrevHash   []byte // Hash of entry Seq-1 (32 zero bytes for Seq 1)
	Hash       []byte // computed by Seal
	// Salt is random bytes hashed into a confidential entry and never
	// published: without it, Hash could be recomputed from guessed fields
	// (who signed in, which delegate objected) and compared with the public
	// log. Nil for public entries.
	Salt []byte
}

// NewSalt returns SaltSize random bytes for a confidential entry.
func NewSalt() []byte {
	b := make([]byte, SaltSize)
	if _, err := rand.Read(b); err != nil {
		panic("audit: no randomness: " + err.Error()) // crypto/rand never fails on supported platforms
	}
	return b
}

// GenesisHash returns the PrevHash of the first entry (Seq 1): 32 zero bytes.
// It returns a fresh slice each call so callers cannot corrupt a shared value.
func GenesisHash() []byte { return make([]byte, HashSize) }

// Digest returns the SHA-256 digest of json.Marshal(v), for Entry.Before and
// Entry.After.
//
// A nil v, or any v whose JSON encoding is "null" (a nil pointer, map or
// slice), yields a nil digest: "no object" must not be confused with the
// digest of the four bytes "null", and a typed nil pointer passed for a create
// is an easy mistake to make.
//
// encoding/json is deterministic (struct fields in declaration order, map keys
// sorted), which is what makes the JSON canonical. Changing a struct's shape
// changes its digest, so compare digests only across identical types.
func Digest(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: digest: %w", err)
	}
	if string(b) == "null" {
		return nil, nil
	}
	sum := sha256.Sum256(b)
	return sum[:], nil
}

// Seal sets e.PrevHash to a copy of prev and e.Hash to the SHA-256 of the
// entry's canonical encoding. A nil or empty prev means "first entry" and is
// replaced by [GenesisHash].
//
// The encoding is fixed forever (changing it would invalidate every stored
// hash). All integers are big-endian; a "bytes" item is an 8-byte unsigned
// length followed by that many bytes, which makes the encoding unambiguous
// (Actor "ab" + Action "c" never collides with Actor "a" + Action "bc"):
//
//	bytes  domain tag "concord/audit/entry/v1"
//	8      Seq, int64 two's complement
//	8      At as Unix microseconds (At.UnixMicro()), int64 two's complement
//	bytes  Actor (UTF-8 as stored)
//	bytes  Action
//	bytes  ObjectType
//	bytes  ObjectID
//	bytes  Before (nil and empty both encode as length 0)
//	bytes  After  (likewise)
//	1      Public: 0x01 if true, 0x00 if false
//	bytes  PrevHash
//
// An entry with a Salt is encoded under the domain tag
// "concord/audit/entry/v2" instead, with one more item at the end:
//
//	bytes  Salt
//
// Hash is not part of the encoding. At is hashed as Unix microseconds so the
// hash does not depend on the time zone or on sub-microsecond precision that a
// database round trip would lose.
func (e *Entry) Seal(prev []byte) {
	if len(prev) == 0 {
		e.PrevHash = GenesisHash()
	} else {
		// Copy so that later reuse of the caller's buffer (often the
		// previous entry's Hash) cannot silently change this entry.
		e.PrevHash = bytes.Clone(prev)
	}
	e.Hash = e.computeHash()
}

// Valid reports whether e.Hash matches the hash recomputed from e's other
// fields. It does not check the link to the previous entry; [Verify] does.
func (e Entry) Valid() bool {
	return bytes.Equal(e.Hash, e.computeHash())
}

// computeHash implements the encoding documented on Seal.
func (e *Entry) computeHash() []byte {
	n := 8 + len(entryDomain) + 8 + 8 +
		8 + len(e.Actor) + 8 + len(e.Action) + 8 + len(e.ObjectType) + 8 + len(e.ObjectID) +
		8 + len(e.Before) + 8 + len(e.After) + 1 + 8 + len(e.PrevHash) + 8 + len(e.Salt)
	b := make([]byte, 0, n)
	if len(e.Salt) > 0 {
		b = appendBytes(b, saltedDomain)
	} else {
		b = appendBytes(b, entryDomain)
	}
	b = binary.BigEndian.AppendUint64(b, uint64(e.Seq))
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.UnixMicro()))
	b = appendBytes(b, e.Actor)
	b = appendBytes(b, e.Action)
	b = appendBytes(b, e.ObjectType)
	b = appendBytes(b, e.ObjectID)
	b = appendBytes(b, e.Before)
	b = appendBytes(b, e.After)
	if e.Public {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = appendBytes(b, e.PrevHash)
	if len(e.Salt) > 0 {
		b = appendBytes(b, e.Salt)
	}
	sum := sha256.Sum256(b)
	return sum[:]
}

// appendBytes appends the length-prefixed "bytes" item used by the encoding.
func appendBytes[T string | []byte](b []byte, v T) []byte {
	b = binary.BigEndian.AppendUint64(b, uint64(len(v)))
	return append(b, v...)
}

// Reasons reported in [BrokenError].Reason. The sequence-gap reason is
// followed by details (": expected seq N, got M").
const (
	ReasonHashMismatch = "hash mismatch"
	ReasonPrevMismatch = "prev link mismatch"
	ReasonSequenceGap  = "sequence gap"
)

// BrokenError reports the first entry at which [Verify] found the chain broken.
type BrokenError struct {
	Seq    int64  // Seq of the offending entry as read (for a gap: the entry read where another was expected)
	Reason string // one of the Reason* constants, possibly with detail
}

// Error implements error.
func (e *BrokenError) Error() string {
	return fmt.Sprintf("audit: chain broken at seq %d: %s", e.Seq, e.Reason)
}

// Verify walks entries in Seq order, starting at Seq 1, and checks that the
// sequence is contiguous, that every entry's Hash is valid, and that every
// PrevHash equals the previous entry's Hash (GenesisHash for Seq 1).
//
// It returns nil for an intact (possibly empty) chain, a *BrokenError naming
// the first bad entry, or the first error yielded by entries (wrapped). It
// stops consuming entries at the first problem. Entries are taken as an
// iterator so the caller can stream rows from the database.
//
// Verify cannot detect an attacker who rewrites an entry and re-seals every
// later one; checkpoints ([SignCheckpoint], [CheckConsistency]) exist for that.
func Verify(entries iter.Seq2[Entry, error]) error {
	want := int64(1)
	var prev [HashSize]byte // genesis: all zeros
	for e, err := range entries {
		if err != nil {
			return fmt.Errorf("audit: reading entry after seq %d: %w", want-1, err)
		}
		if e.Seq != want {
			return &BrokenError{Seq: e.Seq, Reason: fmt.Sprintf("%s: expected seq %d, got %d", ReasonSequenceGap, want, e.Seq)}
		}
		if !e.Valid() {
			return &BrokenError{Seq: e.Seq, Reason: ReasonHashMismatch}
		}
		if !bytes.Equal(e.PrevHash, prev[:]) {
			return &BrokenError{Seq: e.Seq, Reason: ReasonPrevMismatch}
		}
		// Copy rather than keep e.Hash: a streaming iterator may reuse its
		// scan buffers. Valid passed, so len(e.Hash) == HashSize.
		copy(prev[:], e.Hash)
		want++
	}
	return nil
}

// ConfidentialAction replaces the action of a confidential entry on the
// public log.
const ConfidentialAction = "confidential"

// Redact returns e as a viewer without the right to the full log may see it:
// a confidential entry keeps its place and hashes (so the chain and the
// checkpoint can still be checked) but loses who, what, on which object and
// when to the microsecond: only its day (UTC) is left, so that it cannot be
// matched with a public act moments before or after it. Even the kind of
// action is withheld: under a "hidden" disclosure policy, the mere fact that
// an objection was filed must not show. The salt never leaves the server.
func Redact(e Entry, full bool) (Entry, bool) {
	e.Salt = nil
	if e.Public || full {
		return e, false
	}
	e.Actor, e.Action, e.ObjectType, e.ObjectID, e.Before, e.After = "", ConfidentialAction, "", "", nil, nil
	e.At = Day(e.At)
	return e, true
}

// Day is t's day in UTC, the precision at which a confidential entry's time
// is shown.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
