package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

// memHashes is an in-memory stand-in for the store's stored-hash table,
// keyed by tlog storage index.
type memHashes map[int64]tlog.Hash

func (m memHashes) reader() HashReaderFunc {
	return func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, idx := range indexes {
			h, ok := m[idx]
			if !ok {
				return nil, fmt.Errorf("no stored hash at index %d", idx)
			}
			out[i] = h
		}
		return out, nil
	}
}

// appendEntry does what the store does inside the write transaction.
func (m memHashes) appendEntry(tb testing.TB, e Entry) {
	tb.Helper()
	n := e.Seq - 1 // tlog record index is 0-based
	hs, err := StoredHashesFor(n, e.Hash, m.reader())
	if err != nil {
		tb.Fatalf("StoredHashesFor(%d): %v", n, err)
	}
	base := tlog.StoredHashIndex(0, n)
	for i, h := range hs {
		m[base+int64(i)] = h
	}
}

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// makeEntry returns an unsealed, varied entry for the given seq.
func makeEntry(tb testing.TB, seq int64) Entry {
	tb.Helper()
	type obj struct {
		ID   int64
		Name string
	}
	e := Entry{
		Seq:        seq,
		At:         t0.Add(time.Duration(seq) * 1500 * time.Millisecond).Truncate(time.Microsecond),
		Actor:      fmt.Sprintf("user:%d", seq%7),
		ObjectType: "organization",
		ObjectID:   fmt.Sprint(seq % 50),
		Public:     seq%5 != 0,
	}
	before, err := Digest(obj{seq % 50, fmt.Sprint("v", seq-1)})
	if err != nil {
		tb.Fatal(err)
	}
	after, err := Digest(obj{seq % 50, fmt.Sprint("v", seq)})
	if err != nil {
		tb.Fatal(err)
	}
	switch seq % 3 {
	case 0:
		e.Action, e.After = "organization.create", after
	case 1:
		e.Action, e.Before, e.After = "organization.update", before, after
	case 2:
		e.Action, e.Before = "organization.delete", before
	}
	return e
}

// buildChain seals n entries and records their tree hashes.
func buildChain(tb testing.TB, n int) ([]Entry, memHashes) {
	tb.Helper()
	entries := make([]Entry, n)
	hashes := memHashes{}
	var prev []byte
	for i := range entries {
		e := makeEntry(tb, int64(i+1))
		e.Seal(prev)
		entries[i] = e
		hashes.appendEntry(tb, e)
		prev = e.Hash
	}
	return entries, hashes
}

// resealFrom re-seals entries[i:] so the chain links up again, as an attacker
// with database access would after editing entries[i].
func resealFrom(entries []Entry, i int) {
	for j := i; j < len(entries); j++ {
		var prev []byte
		if j > 0 {
			prev = entries[j-1].Hash
		}
		entries[j].Seal(prev)
	}
}

func seqOf(entries []Entry) iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for _, e := range entries {
			if !yield(e, nil) {
				return
			}
		}
	}
}

// rfc6962Root computes the RFC 6962 Merkle tree head independently of tlog,
// to pin the leaf convention (leaf = RecordHash(entry.Hash), Seq s at index s-1).
func rfc6962Root(leaves [][]byte) tlog.Hash {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := rfc6962Root(leaves[:k]), rfc6962Root(leaves[k:])
	return sha256.Sum256(slices.Concat([]byte{1}, l[:], r[:]))
}

func entryHashes(entries []Entry) [][]byte {
	out := make([][]byte, len(entries))
	for i, e := range entries {
		out[i] = e.Hash
	}
	return out
}

func wantBroken(t *testing.T, err error, seq int64, reasonPrefix string) {
	t.Helper()
	var be *BrokenError
	if !errors.As(err, &be) {
		t.Fatalf("Verify = %v, want *BrokenError at seq %d (%s)", err, seq, reasonPrefix)
	}
	if be.Seq != seq || !strings.HasPrefix(be.Reason, reasonPrefix) {
		t.Fatalf("Verify = %v, want seq %d reason %q", be, seq, reasonPrefix)
	}
}

func TestDigest(t *testing.T) {
	type obj struct {
		A int
		B string
	}
	if d, err := Digest(nil); d != nil || err != nil {
		t.Errorf("Digest(nil) = %x, %v; want nil, nil", d, err)
	}
	if d, err := Digest((*obj)(nil)); d != nil || err != nil {
		t.Errorf("Digest(typed nil) = %x, %v; want nil, nil", d, err)
	}
	d1, err := Digest(obj{1, "x"})
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256([]byte(`{"A":1,"B":"x"}`))
	if !bytes.Equal(d1, want[:]) {
		t.Errorf("Digest(obj) = %x, want %x", d1, want)
	}
	// Map keys are sorted, so a map with the same content digests the same.
	d2, _ := Digest(map[string]any{"B": "x", "A": 1})
	if !bytes.Equal(d1, d2) {
		t.Errorf("map digest %x != struct digest %x", d2, d1)
	}
	if d3, _ := Digest(obj{2, "x"}); bytes.Equal(d1, d3) {
		t.Error("different objects have equal digests")
	}
	if _, err := Digest(make(chan int)); err == nil {
		t.Error("Digest(chan) succeeded")
	}
}

func goldenEntry() Entry {
	return Entry{
		Seq:        42,
		At:         time.Date(2025, 1, 2, 3, 4, 5, 678901000, time.UTC),
		Actor:      "user:12",
		Action:     "organization.update",
		ObjectType: "organization",
		ObjectID:   "7",
		Before:     bytes.Repeat([]byte{0xaa}, 32),
		After:      bytes.Repeat([]byte{0xbb}, 32),
		Public:     true,
	}
}

// TestSealEncoding rebuilds the documented encoding by hand and pins the
// resulting hash: if this test fails, stored audit logs stop verifying.
func TestSealEncoding(t *testing.T) {
	e := goldenEntry()
	prev := bytes.Repeat([]byte{0xcc}, 32)
	e.Seal(prev)

	var buf bytes.Buffer
	put := func(v any) { binary.Write(&buf, binary.BigEndian, v) }
	item := func(b []byte) { put(uint64(len(b))); buf.Write(b) }
	item([]byte("concord/audit/entry/v1"))
	put(int64(42))
	put(e.At.UnixMicro())
	item([]byte("user:12"))
	item([]byte("organization.update"))
	item([]byte("organization"))
	item([]byte("7"))
	item(e.Before)
	item(e.After)
	buf.WriteByte(1)
	item(prev)
	manual := sha256.Sum256(buf.Bytes())
	if !bytes.Equal(e.Hash, manual[:]) {
		t.Fatalf("Seal hash %x does not match the documented encoding %x", e.Hash, manual)
	}
	const golden = "b340512d9c82c8ee8aee4ec9a92c8f60575630762d44d96e770c636e05a347be"
	if got := hex.EncodeToString(e.Hash); got != golden {
		t.Fatalf("Seal hash = %s, want pinned %s (the encoding must never change)", got, golden)
	}
	if !e.Valid() {
		t.Fatal("sealed entry not Valid")
	}
}

func TestSealCoversEveryField(t *testing.T) {
	base := goldenEntry()
	base.Seal(nil)
	if !bytes.Equal(base.PrevHash, make([]byte, 32)) {
		t.Fatalf("Seal(nil) PrevHash = %x, want 32 zero bytes", base.PrevHash)
	}
	muts := map[string]func(*Entry){
		"Seq":        func(e *Entry) { e.Seq++ },
		"At":         func(e *Entry) { e.At = e.At.Add(time.Microsecond) },
		"Actor":      func(e *Entry) { e.Actor = "user:13" },
		"Action":     func(e *Entry) { e.Action = "organization.delete" },
		"ObjectType": func(e *Entry) { e.ObjectType = "user" },
		"ObjectID":   func(e *Entry) { e.ObjectID = "8" },
		"Before":     func(e *Entry) { e.Before = nil },
		"After":      func(e *Entry) { e.After = append(bytes.Clone(e.After[:31]), 0) },
		"Public":     func(e *Entry) { e.Public = false },
		"PrevHash":   func(e *Entry) { e.PrevHash = bytes.Repeat([]byte{1}, 32) },
		// Length prefixes make field boundaries unambiguous.
		"Actor/Action boundary": func(e *Entry) { e.Actor, e.Action = "user:1", "2organization.update" },
		"Before/After swap":     func(e *Entry) { e.Before, e.After = e.After, e.Before },
	}
	for name, mut := range muts {
		e := base
		mut(&e)
		if e.Valid() {
			t.Errorf("%s: mutated entry still Valid", name)
		}
		prev := e.PrevHash
		e.Seal(prev)
		if bytes.Equal(e.Hash, base.Hash) {
			t.Errorf("%s: re-sealed hash unchanged", name)
		}
	}
	// Same instant in another zone, or with sub-microsecond noise, hashes the same.
	e := base
	e.At = e.At.In(time.FixedZone("X", 5*3600)).Add(999 * time.Nanosecond)
	if !e.Valid() {
		t.Error("hash depends on time zone or sub-microsecond precision")
	}
}

func TestSealCopiesPrev(t *testing.T) {
	prev := bytes.Repeat([]byte{7}, 32)
	e := goldenEntry()
	e.Seal(prev)
	prev[0] = 8
	if !e.Valid() || e.PrevHash[0] != 7 {
		t.Fatal("Seal aliased the caller's prev slice")
	}
}

func TestVerify(t *testing.T) {
	orig, _ := buildChain(t, 1000)
	if err := Verify(seqOf(orig)); err != nil {
		t.Fatalf("intact chain: %v", err)
	}
	if err := Verify(seqOf(nil)); err != nil {
		t.Fatalf("empty chain: %v", err)
	}

	t.Run("tampered action", func(t *testing.T) {
		es := slices.Clone(orig)
		es[599].Action = "organization.delete.hidden" // Hash left as is
		wantBroken(t, Verify(seqOf(es)), 600, ReasonHashMismatch)
	})
	t.Run("tampered before digest", func(t *testing.T) {
		es := slices.Clone(orig)
		es[9].Before = nil
		wantBroken(t, Verify(seqOf(es)), 10, ReasonHashMismatch)
	})
	t.Run("tampered prev without reseal", func(t *testing.T) {
		es := slices.Clone(orig)
		es[299].PrevHash = bytes.Repeat([]byte{9}, 32)
		wantBroken(t, Verify(seqOf(es)), 300, ReasonHashMismatch)
	})
	t.Run("broken prev link", func(t *testing.T) {
		es := slices.Clone(orig)
		es[299].Seal(bytes.Repeat([]byte{9}, 32)) // self-consistent, wrong link
		wantBroken(t, Verify(seqOf(es)), 300, ReasonPrevMismatch)
	})
	t.Run("edit and reseal one entry", func(t *testing.T) {
		es := slices.Clone(orig)
		es[299].Actor = "user:999"
		es[299].Seal(es[298].Hash)
		// Entry 300 is now self-consistent; its successor no longer links.
		wantBroken(t, Verify(seqOf(es)), 301, ReasonPrevMismatch)
	})
	t.Run("genesis prev not zero", func(t *testing.T) {
		es := slices.Clone(orig[:5])
		es[0].Seal(bytes.Repeat([]byte{1}, 32))
		wantBroken(t, Verify(seqOf(es)), 1, ReasonPrevMismatch)
	})
	t.Run("gap", func(t *testing.T) {
		es := slices.Delete(slices.Clone(orig), 499, 500) // drop Seq 500
		wantBroken(t, Verify(seqOf(es)), 501, ReasonSequenceGap)
	})
	t.Run("gap resealed", func(t *testing.T) {
		// Dropping a row and relinking its successor is still a gap.
		es := slices.Delete(slices.Clone(orig), 499, 500)
		es[499].Seal(es[498].Hash)
		wantBroken(t, Verify(seqOf(es)), 501, ReasonSequenceGap)
	})
	t.Run("head deleted", func(t *testing.T) {
		wantBroken(t, Verify(seqOf(orig[1:])), 2, ReasonSequenceGap)
	})
	t.Run("duplicate", func(t *testing.T) {
		es := slices.Insert(slices.Clone(orig), 10, orig[9])
		wantBroken(t, Verify(seqOf(es)), 10, ReasonSequenceGap)
	})
	t.Run("swapped", func(t *testing.T) {
		es := slices.Clone(orig)
		es[20], es[21] = es[21], es[20]
		wantBroken(t, Verify(seqOf(es)), 22, ReasonSequenceGap)
	})
	t.Run("iterator error stops walk", func(t *testing.T) {
		boom := errors.New("boom")
		yielded := 0
		it := func(yield func(Entry, error) bool) {
			for _, e := range orig[:10] {
				yielded++
				if !yield(e, nil) {
					return
				}
			}
			yielded++
			if !yield(Entry{}, boom) {
				return
			}
			t.Error("Verify kept iterating after an error")
		}
		err := Verify(it)
		if !errors.Is(err, boom) {
			t.Fatalf("Verify = %v, want wrapped boom", err)
		}
		var be *BrokenError
		if errors.As(err, &be) {
			t.Fatalf("iterator error reported as BrokenError: %v", be)
		}
	})
}

func TestBrokenErrorMessage(t *testing.T) {
	err := error(&BrokenError{Seq: 7, Reason: ReasonHashMismatch})
	if got, want := err.Error(), "audit: chain broken at seq 7: hash mismatch"; got != want {
		t.Fatalf("Error() = %q, want %q", got, want)
	}
}

func TestCheckpoints(t *testing.T) {
	entries, hashes := buildChain(t, 1000)
	r := hashes.reader()
	skey, vkey, err := NewSigner("concord.test/audit")
	if err != nil {
		t.Fatal(err)
	}

	cp500, err := SignCheckpoint(skey, 500, r)
	if err != nil {
		t.Fatal(err)
	}
	cp1000, err := SignCheckpoint(skey, 1000, r)
	if err != nil {
		t.Fatal(err)
	}
	tree500, err := VerifyCheckpoint(vkey, cp500)
	if err != nil {
		t.Fatalf("verify cp500: %v", err)
	}
	tree1000, err := VerifyCheckpoint(vkey, cp1000)
	if err != nil {
		t.Fatalf("verify cp1000: %v", err)
	}
	if tree500.N != 500 || tree1000.N != 1000 {
		t.Fatalf("checkpoint sizes %d, %d", tree500.N, tree1000.N)
	}
	// The signed roots match an independent RFC 6962 computation over
	// leaves RecordHash(entry.Hash) in Seq order.
	leaves := entryHashes(entries)
	if want := rfc6962Root(leaves[:500]); tree500.Hash != want {
		t.Fatalf("root(500) = %v, independent %v", tree500.Hash, want)
	}
	if want := rfc6962Root(leaves); tree1000.Hash != want {
		t.Fatalf("root(1000) = %v, independent %v", tree1000.Hash, want)
	}

	t.Run("consistency 500->1000", func(t *testing.T) {
		p, err := ProveConsistency(500, 1000, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckConsistency(p, tree500.N, tree500.Hash, tree1000.N, tree1000.Hash); err != nil {
			t.Fatalf("CheckConsistency: %v", err)
		}
		if CheckConsistency(p, tree500.N, tree1000.Hash, tree1000.N, tree500.Hash) == nil {
			t.Error("consistency proof accepted with swapped roots")
		}
		if CheckConsistency(p, 499, tree500.Hash, tree1000.N, tree1000.Hash) == nil {
			t.Error("consistency proof accepted for wrong old size")
		}
		same, err := ProveConsistency(1000, 1000, r)
		if err != nil || CheckConsistency(same, 1000, tree1000.Hash, 1000, tree1000.Hash) != nil {
			t.Errorf("trivial consistency 1000->1000 failed: %v", err)
		}
	})

	t.Run("inclusion of 123", func(t *testing.T) {
		const seq = 123
		p, err := ProveInclusion(seq, 1000, r)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckInclusion(p, tree1000.N, tree1000.Hash, seq, entries[seq-1].Hash); err != nil {
			t.Fatalf("CheckInclusion: %v", err)
		}
		if CheckInclusion(p, tree1000.N, tree1000.Hash, seq, entries[seq].Hash) == nil {
			t.Error("inclusion accepted for the wrong entry hash")
		}
		if CheckInclusion(p, tree1000.N, tree1000.Hash, seq+1, entries[seq-1].Hash) == nil {
			t.Error("inclusion accepted at the wrong seq")
		}
		if CheckInclusion(p, tree500.N, tree500.Hash, seq, entries[seq-1].Hash) == nil {
			t.Error("size-1000 proof accepted against the size-500 root")
		}
		p500, err := ProveInclusion(seq, 500, r)
		if err != nil || CheckInclusion(p500, tree500.N, tree500.Hash, seq, entries[seq-1].Hash) != nil {
			t.Errorf("inclusion of %d in 500: %v", seq, err)
		}
		// Edges: first and last entry.
		for _, s := range []int64{1, 1000} {
			p, err := ProveInclusion(s, 1000, r)
			if err != nil || CheckInclusion(p, 1000, tree1000.Hash, s, entries[s-1].Hash) != nil {
				t.Errorf("inclusion of seq %d: %v", s, err)
			}
		}
	})

	t.Run("wrong key", func(t *testing.T) {
		_, otherV, err := NewSigner("concord.test/other")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyCheckpoint(otherV, cp1000); err == nil {
			t.Error("checkpoint verified with an unrelated key")
		}
		_, sameNameV, err := NewSigner("concord.test/audit")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := VerifyCheckpoint(sameNameV, cp1000); err == nil {
			t.Error("checkpoint verified with a different key of the same name")
		}
		if _, err := VerifyCheckpoint(skey, cp1000); err == nil {
			t.Error("checkpoint verified with a private key string as vkey")
		}
		if _, err := SignCheckpoint(vkey, 10, r); err == nil {
			t.Error("signed with a verifier key")
		}
	})

	t.Run("modified note", func(t *testing.T) {
		mods := map[string]string{
			"size":      strings.Replace(cp1000, "\n1000\n", "\n1001\n", 1),
			"root":      strings.Replace(cp1000, tree1000.Hash.String(), tree500.Hash.String(), 1),
			"extra":     strings.Replace(cp1000, "\n\n", "\nextra line\n\n", 1),
			"signature": flipSigChar(cp1000),
			"truncated": cp1000[:len(cp1000)-2] + "\n",
		}
		for name, m := range mods {
			if m == cp1000 {
				t.Fatalf("%s: modification did not apply", name)
			}
			if _, err := VerifyCheckpoint(vkey, m); err == nil {
				t.Errorf("%s: modified checkpoint verified", name)
			}
		}
	})

	t.Run("empty tree", func(t *testing.T) {
		cp, err := SignCheckpoint(skey, 0, memHashes{}.reader())
		if err != nil {
			t.Fatal(err)
		}
		tr, err := VerifyCheckpoint(vkey, cp)
		if err != nil || tr.N != 0 || tr.Hash != rfc6962Root(nil) {
			t.Fatalf("empty checkpoint: %v %v", tr, err)
		}
	})
}

// flipSigChar changes one base64 character inside the signature line.
func flipSigChar(s string) string {
	i := strings.LastIndex(s, " ") + 10
	c := byte('A')
	if s[i] == 'A' {
		c = 'B'
	}
	return s[:i] + string(c) + s[i+1:]
}

// TestRewrittenHistoryFailsConsistency plays an attacker with database write
// access (and even the signing key): they edit an early entry and re-seal the
// whole chain, so Verify passes, but the rebuilt tree cannot be proven
// consistent with a checkpoint signed before the edit.
func TestRewrittenHistoryFailsConsistency(t *testing.T) {
	entries, hashes := buildChain(t, 1000)
	skey, vkey, err := NewSigner("concord.test/audit")
	if err != nil {
		t.Fatal(err)
	}
	oldCP, err := SignCheckpoint(skey, 500, hashes.reader())
	if err != nil {
		t.Fatal(err)
	}
	oldTree, err := VerifyCheckpoint(vkey, oldCP)
	if err != nil {
		t.Fatal(err)
	}

	forged := slices.Clone(entries)
	forged[9].Action = "organization.read" // Seq 10
	resealFrom(forged, 9)
	if err := Verify(seqOf(forged)); err != nil {
		t.Fatalf("re-sealed chain should pass Verify (that is why checkpoints exist): %v", err)
	}
	forgedHashes := memHashes{}
	for _, e := range forged {
		forgedHashes.appendEntry(t, e)
	}
	newCP, err := SignCheckpoint(skey, 1000, forgedHashes.reader())
	if err != nil {
		t.Fatal(err)
	}
	newTree, err := VerifyCheckpoint(vkey, newCP)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ProveConsistency(500, 1000, forgedHashes.reader())
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckConsistency(p, oldTree.N, oldTree.Hash, newTree.N, newTree.Hash); err == nil {
		t.Fatal("rewritten history passed the consistency check against the old checkpoint")
	}
	// Nor can the original tree's proof vouch for the forged root.
	p, err = ProveConsistency(500, 1000, hashes.reader())
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckConsistency(p, oldTree.N, oldTree.Hash, newTree.N, newTree.Hash); err == nil {
		t.Fatal("original proof accepted for the forged root")
	}
	// And the forged entry has no inclusion proof under the old checkpoint.
	ip, err := ProveInclusion(10, 500, forgedHashes.reader())
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckInclusion(ip, oldTree.N, oldTree.Hash, 10, forged[9].Hash); err == nil {
		t.Fatal("forged entry proven included in the old checkpoint")
	}
}

func TestInputValidation(t *testing.T) {
	_, hashes := buildChain(t, 10)
	r := hashes.reader()
	if _, err := StoredHashesFor(0, []byte{1, 2, 3}, r); err == nil {
		t.Error("StoredHashesFor accepted a short hash")
	}
	if _, err := StoredHashesFor(-1, make([]byte, 32), r); err == nil {
		t.Error("StoredHashesFor accepted a negative index")
	}
	// Record 11 (0-based) needs hashes of records that do not exist yet.
	if _, err := StoredHashesFor(11, make([]byte, 32), r); err == nil {
		t.Error("StoredHashesFor ignored a HashReader error")
	}
	short := HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) { return nil, nil })
	if _, err := StoredHashesFor(1, make([]byte, 32), short); err == nil {
		t.Error("StoredHashesFor accepted a short HashReader result")
	}
	for _, c := range [][2]int64{{0, 10}, {11, 10}, {-1, 10}} {
		if _, err := ProveInclusion(c[0], c[1], r); err == nil {
			t.Errorf("ProveInclusion(%d, %d) succeeded", c[0], c[1])
		}
		if CheckInclusion(nil, c[1], tlog.Hash{}, c[0], make([]byte, 32)) == nil {
			t.Errorf("CheckInclusion(seq %d, size %d) succeeded", c[0], c[1])
		}
	}
	for _, c := range [][2]int64{{0, 10}, {11, 10}} {
		if _, err := ProveConsistency(c[0], c[1], r); err == nil {
			t.Errorf("ProveConsistency(%d, %d) succeeded", c[0], c[1])
		}
		if CheckConsistency(nil, c[0], tlog.Hash{}, c[1], tlog.Hash{}) == nil {
			t.Errorf("CheckConsistency(%d, %d) succeeded", c[0], c[1])
		}
	}
	if _, err := SignCheckpoint("garbage", 1, r); err == nil {
		t.Error("SignCheckpoint accepted a garbage key")
	}
	for _, name := range []string{"", "has space", "has+plus"} {
		if _, _, err := NewSigner(name); err == nil {
			t.Errorf("NewSigner(%q) accepted an invalid name", name)
		}
	}
}

func BenchmarkSeal(b *testing.B) {
	e := goldenEntry()
	prev := bytes.Repeat([]byte{0xcc}, 32)
	b.ReportAllocs()
	for b.Loop() {
		e.Seal(prev)
	}
}

// BenchmarkAppend10000 measures building the Merkle tree for 10,000 entries as
// the store does per write: StoredHashesFor plus persisting the hashes (here a
// map). The "seal" variant includes Entry.Seal, i.e. the full per-write cost.
func BenchmarkAppend10000(b *testing.B) {
	const n = 10000
	entries := make([]Entry, n)
	var prev []byte
	for i := range entries {
		e := makeEntry(b, int64(i+1))
		e.Seal(prev)
		entries[i] = e
		prev = e.Hash
	}
	run := func(b *testing.B, seal bool) {
		b.ReportAllocs()
		for b.Loop() {
			hashes := make(memHashes, 2*n)
			r := hashes.reader()
			var prev []byte
			for i := range entries {
				e := &entries[i]
				if seal {
					e.Seal(prev)
					prev = e.Hash
				}
				hs, err := StoredHashesFor(int64(i), e.Hash, r)
				if err != nil {
					b.Fatal(err)
				}
				base := tlog.StoredHashIndex(0, int64(i))
				for j, h := range hs {
					hashes[base+int64(j)] = h
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/entry")
	}
	b.Run("StoredHashesFor", func(b *testing.B) { run(b, false) })
	b.Run("Seal+StoredHashesFor", func(b *testing.B) { run(b, true) })
}

func TestRedact(t *testing.T) {
	at := time.Date(2026, 5, 5, 9, 30, 17, 123456000, time.UTC)
	e := Entry{Seq: 7, At: at, Actor: "user:3", Action: "accreditation.object", ObjectType: "accreditation_application", ObjectID: "12", Before: []byte{1}, After: []byte{2}, Hash: []byte{9}, Salt: []byte{4}}
	r, redacted := Redact(e, false)
	if !redacted || r.Actor != "" || r.Action != ConfidentialAction || r.ObjectType != "" || r.ObjectID != "" || r.Before != nil || r.After != nil || r.Salt != nil {
		t.Errorf("confidential entry shown to the public: %+v", r)
	}
	if want := time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC); !r.At.Equal(want) {
		t.Errorf("confidential entry shown at %s, want its day %s", r.At, want)
	}
	if r.Seq != 7 || len(r.Hash) != 1 {
		t.Error("redaction lost the entry's place in the chain")
	}
	if r, redacted := Redact(e, true); redacted || r.Action != e.Action || !r.At.Equal(at) || r.Salt != nil {
		t.Error("full viewer got a redacted entry, or the salt")
	}
	e.Public = true
	if r, redacted := Redact(e, false); redacted || r.Actor != "user:3" {
		t.Error("public entry redacted")
	}
}

// TestSaltedEntries: a salted entry verifies with its salt and only with
// it, a guess without the salt does not reproduce its hash, and unsalted
// entries keep the v1 encoding so that hashes stored before salts existed
// still verify.
func TestSaltedEntries(t *testing.T) {
	at := time.Date(2026, 5, 5, 9, 30, 17, 0, time.UTC)
	plain := Entry{Seq: 1, At: at, Actor: "user:3", Action: "session.create", ObjectType: "user", ObjectID: "3", Public: false}
	plain.Seal(nil)
	salted := plain
	salted.Salt = NewSalt()
	salted.Seal(nil)
	if bytes.Equal(plain.Hash, salted.Hash) {
		t.Fatal("the salt does not change the hash")
	}
	// Known answer for the v1 encoding, computed before salts existed.
	if got := hex.EncodeToString(plain.Hash); got != "fb3c4c2c74ec2171b03cc21c49cdc2c8a64db09a8602e96ba9c31e95265e27cf" {
		t.Errorf("unsalted hash changed: %s", got)
	}
	next := Entry{Seq: 2, At: at, Actor: "system", Action: "organization.create", Public: true}
	next.Seal(salted.Hash)
	chain := []Entry{salted, next}
	if err := Verify(seqOf(chain)); err != nil {
		t.Fatal(err)
	}
	forged := salted
	forged.Salt = NewSalt()
	if forged.Valid() {
		t.Error("an entry verifies with another salt")
	}
	stripped := salted
	stripped.Salt = nil
	if stripped.Valid() {
		t.Error("an entry verifies without its salt")
	}
}
