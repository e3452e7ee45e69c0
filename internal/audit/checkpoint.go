package audit

import (
	"crypto/rand"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Merkle tree layout: record i (0-based) is the entry with Seq i+1, and its
// leaf hash is tlog.RecordHash(entry.Hash). The store persists the hashes
// returned by StoredHashesFor, keyed by tlog storage index, and serves them
// back through a tlog.HashReader (usually a HashReaderFunc around a query).

// HashReaderFunc adapts a function to tlog.HashReader. The function must
// return exactly one hash per requested storage index, in the same order, or
// an error (typically: read the stored-hash table WHERE index IN (...)).
type HashReaderFunc func(indexes []int64) ([]tlog.Hash, error)

var _ tlog.HashReader = HashReaderFunc(nil)

// ReadHashes implements tlog.HashReader.
func (f HashReaderFunc) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	return f(indexes)
}

// StoredHashesFor wraps tlog.StoredHashes: it returns the hashes to persist
// when appending record n, where n is the 0-BASED record index (n = Seq-1) and
// entryHash is that entry's Hash. The returned hashes belong at consecutive
// storage indexes starting at tlog.StoredHashIndex(0, n). r must be able to
// read hashes stored for records 0..n-1; the call reads at most log₂(n) of them.
func StoredHashesFor(n int64, entryHash []byte, r tlog.HashReader) ([]tlog.Hash, error) {
	if n < 0 {
		return nil, fmt.Errorf("audit: negative record index %d", n)
	}
	if len(entryHash) != HashSize {
		return nil, fmt.Errorf("audit: entry hash for record %d has %d bytes, want %d", n, len(entryHash), HashSize)
	}
	hs, err := tlog.StoredHashes(n, entryHash, r)
	if err != nil {
		return nil, fmt.Errorf("audit: stored hashes for record %d: %w", n, err)
	}
	return hs, nil
}

// NewSigner generates an Ed25519 checkpoint key pair named name, in
// golang.org/x/mod/sumdb/note format. skey is secret; vkey is published to
// anyone who verifies checkpoints. The name identifies the log (e.g.
// "concord.example.com/audit"), is embedded in every signature, and must be
// non-empty with no spaces or '+'.
func NewSigner(name string) (skey, vkey string, err error) {
	skey, vkey, err = note.GenerateKey(rand.Reader, name)
	if err != nil {
		return "", "", fmt.Errorf("audit: generate key %q: %w", name, err)
	}
	// GenerateKey does not validate the name (no spaces or '+'); parsing the
	// key back does, so a bad name fails now rather than at the first checkpoint.
	if _, err := note.NewSigner(skey); err != nil {
		return "", "", fmt.Errorf("audit: key name %q: %w", name, err)
	}
	return skey, vkey, nil
}

// SignCheckpoint computes the Merkle root of the first size entries (Seq
// 1..size) and returns a signed note whose text is tlog.FormatTree of that
// tree. The text uses tlog's fixed "go.sum database tree" header because
// tlog.ParseTree requires it; the log's identity is carried by the key name.
func SignCheckpoint(skey string, size int64, r tlog.HashReader) (string, error) {
	if size < 0 {
		return "", fmt.Errorf("audit: negative checkpoint size %d", size)
	}
	signer, err := note.NewSigner(skey)
	if err != nil {
		return "", fmt.Errorf("audit: signer key: %w", err)
	}
	root, err := tlog.TreeHash(size, r)
	if err != nil {
		return "", fmt.Errorf("audit: tree hash at size %d: %w", size, err)
	}
	text := tlog.FormatTree(tlog.Tree{N: size, Hash: root})
	msg, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return "", fmt.Errorf("audit: sign checkpoint: %w", err)
	}
	return string(msg), nil
}

// VerifyCheckpoint checks that signed carries a valid signature by vkey and
// returns the tree (size and root hash) it attests. Signatures by other keys
// are ignored, but at least one signature by vkey is required.
func VerifyCheckpoint(vkey, signed string) (tlog.Tree, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("audit: verifier key: %w", err)
	}
	n, err := note.Open([]byte(signed), note.VerifierList(v))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("audit: open checkpoint: %w", err)
	}
	tree, err := tlog.ParseTree([]byte(n.Text))
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("audit: parse checkpoint: %w", err)
	}
	return tree, nil
}

// ProveInclusion returns the proof that the entry with the given 1-based seq
// is in the tree of the first size entries (1 <= seq <= size).
func ProveInclusion(seq, size int64, r tlog.HashReader) (tlog.RecordProof, error) {
	if seq < 1 || seq > size {
		return nil, fmt.Errorf("audit: inclusion of seq %d in tree of size %d: out of range", seq, size)
	}
	p, err := tlog.ProveRecord(size, seq-1, r)
	if err != nil {
		return nil, fmt.Errorf("audit: prove inclusion of seq %d in size %d: %w", seq, size, err)
	}
	return p, nil
}

// CheckInclusion verifies proof that the entry with 1-based seq and Hash
// entryHash is in the tree of the given size whose root is root (typically
// from [VerifyCheckpoint]).
func CheckInclusion(proof tlog.RecordProof, size int64, root tlog.Hash, seq int64, entryHash []byte) error {
	if seq < 1 || seq > size {
		return fmt.Errorf("audit: inclusion of seq %d in tree of size %d: out of range", seq, size)
	}
	if len(entryHash) != HashSize {
		return fmt.Errorf("audit: entry hash for seq %d has %d bytes, want %d", seq, len(entryHash), HashSize)
	}
	if err := tlog.CheckRecord(proof, size, root, seq-1, tlog.RecordHash(entryHash)); err != nil {
		return fmt.Errorf("audit: inclusion of seq %d in size %d: %w", seq, size, err)
	}
	return nil
}

// ProveConsistency returns the proof that the tree of newSize entries extends
// (contains as a prefix) the tree of oldSize entries (1 <= oldSize <= newSize).
func ProveConsistency(oldSize, newSize int64, r tlog.HashReader) (tlog.TreeProof, error) {
	if oldSize < 1 || oldSize > newSize {
		return nil, fmt.Errorf("audit: consistency %d -> %d: out of range", oldSize, newSize)
	}
	p, err := tlog.ProveTree(newSize, oldSize, r)
	if err != nil {
		return nil, fmt.Errorf("audit: prove consistency %d -> %d: %w", oldSize, newSize, err)
	}
	return p, nil
}

// CheckConsistency verifies proof that the tree (newSize, newRoot) extends the
// tree (oldSize, oldRoot). Callers get both trees from [VerifyCheckpoint]; a
// failure means history covered by the old checkpoint was rewritten.
func CheckConsistency(proof tlog.TreeProof, oldSize int64, oldRoot tlog.Hash, newSize int64, newRoot tlog.Hash) error {
	if oldSize < 1 || oldSize > newSize {
		return fmt.Errorf("audit: consistency %d -> %d: out of range", oldSize, newSize)
	}
	if err := tlog.CheckTree(proof, newSize, newRoot, oldSize, oldRoot); err != nil {
		return fmt.Errorf("audit: consistency %d -> %d: %w", oldSize, newSize, err)
	}
	return nil
}
