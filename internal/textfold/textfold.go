// Package textfold is the one normalisation of text for search (issue 12):
// the same folding is applied to what is indexed and to what is asked, so
// that both databases (SQLite's FTS5 and PostgreSQL's tsvector, each with a
// tokenizer that only splits on spaces here) index, and every query looks
// for, the same tokens.
//
//   - Latin and Cyrillic: case and accents fold (é → e, Ё → е), compatibility
//     forms too (ﬁ → fi, full-width Ａ → a).
//   - Arabic: the alef variants أ إ آ ٱ become ا, ta marbuta ة becomes ه,
//     alef maqsura ى becomes ي, tashkeel (harakat, shadda, sukun, dagger
//     alef) and tatweel are removed; presentation forms fold to the base
//     letters and Arabic-Indic digits to 0-9.
//   - Arabic words carry their article and conjunction as prefixes (و and,
//     ال the, بال with the, لل for the…): a word is indexed as itself and
//     as its light stem without them (والثقة → والثقه ثقه), and a query
//     looks for the stem, so الثقة finds ثقة, بالثقة and والثقة. Only these
//     prefixes are removed (as Larkey's light10 does), and only where at
//     least two letters remain; suffixes are left alone.
//   - Chinese (and Japanese kana), written without spaces between words: a
//     run of such characters is indexed as its characters and its
//     overlapping pairs (unigrams and bigrams), and a query looks for its
//     pairs (a lone character for itself): 网络安全 matches 网络 络安 安全.
//
// Tokens are runs of letters and digits; everything else separates them.
// Pure: no I/O.
package textfold

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// MaxQueryTokens bounds the tokens a query looks for (the rest are
// ignored), so that a pasted paragraph stays one bounded query.
const MaxQueryTokens = 12

// fold appends the folded runes of r to dst: none for a mark or tatweel.
func fold(dst []rune, r rune) []rune {
	if r < 0x80 {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	}
	switch r {
	case 'ٱ': // alef wasla has no decomposition
		return append(dst, 'ا')
	case 'ک': // keheh
		return append(dst, 'ك')
	case 'ی': // Farsi yeh
		return append(dst, 'ي')
	}
	for _, d := range norm.NFKD.String(string(r)) {
		switch {
		case mark(d), d == 'ـ':
			// accents, tashkeel (U+064B–U+065F, U+0670), the hamza above
			// or below that NFKD splits off (أ إ آ → ا, ؤ → و, ئ → ي),
			// tatweel
		case d == 'ة':
			dst = append(dst, 'ه')
		case d == 'ى':
			dst = append(dst, 'ي')
		case '٠' <= d && d <= '٩':
			dst = append(dst, '0'+(d-'٠'))
		case '۰' <= d && d <= '۹':
			dst = append(dst, '0'+(d-'۰'))
		default:
			dst = append(dst, unicode.ToLower(d))
		}
	}
	return dst
}

func mark(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me, unicode.Mc)
}

// cjk reports whether r belongs to a script written without spaces.
func cjk(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana)
}

// unit is one folded rune with the bytes of the original it came from.
type unit struct {
	r          rune
	start, end int
}

// run is a word (letters and digits) or a run of CJK characters.
type run struct {
	units []unit
	cjk   bool
}

// runs folds s and cuts it into runs, with offsets into s. A mark or a
// tatweel inside a word is dropped without cutting it.
func runs(s string) []run {
	var out []run
	var cur run
	flush := func() {
		if len(cur.units) > 0 {
			out = append(out, cur)
		}
		cur = run{}
	}
	var tmp []rune
	for i, r := range s {
		end := i + len(string(r))
		if mark(r) || r == 'ـ' {
			if n := len(cur.units); n > 0 {
				cur.units[n-1].end = end
			}
			continue
		}
		tmp = fold(tmp[:0], r)
		for _, f := range tmp {
			if !unicode.IsLetter(f) && !unicode.IsNumber(f) {
				flush()
				continue
			}
			c := cjk(f)
			if len(cur.units) > 0 && c != cur.cjk {
				flush()
			}
			cur.cjk = c
			cur.units = append(cur.units, unit{f, i, end})
		}
	}
	flush()
	return out
}

func (r run) text(i, j int) string {
	var b strings.Builder
	for _, u := range r.units[i:j] {
		b.WriteRune(u.r)
	}
	return b.String()
}

// arabicPrefixes are the definite article with the particles that attach
// to it, longest first (after folding: no hamza, alef variants merged).
var arabicPrefixes = []string{"وال", "بال", "كال", "فال", "لل", "ال"}

// stem is word's light stem: for an Arabic word, without a leading و when
// more than three letters remain, then without its article (a prefix of
// arabicPrefixes) when at least two letters remain; any other word as it
// is. word is folded already.
func stem(word string) string {
	r := []rune(word)
	if len(r) == 0 || !unicode.Is(unicode.Arabic, r[0]) {
		return word
	}
	if r[0] == 'و' && len(r) > 3 {
		r = r[1:]
	}
	for _, p := range arabicPrefixes {
		pr := []rune(p)
		if len(r)-len(pr) >= 2 && string(r[:len(pr)]) == p {
			r = r[len(pr):]
			break
		}
	}
	return string(r)
}

// Index is s as the index stores it: its folded tokens separated by
// spaces, an Arabic word also as its stem, a CJK run as its characters and
// its pairs.
func Index(s string) string {
	var b strings.Builder
	add := func(t string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t)
	}
	for _, r := range runs(s) {
		if !r.cjk {
			w := r.text(0, len(r.units))
			add(w)
			if st := stem(w); st != w {
				add(st)
			}
			continue
		}
		for i := range r.units {
			add(r.text(i, i+1))
			if i+1 < len(r.units) {
				add(r.text(i, i+2))
			}
		}
	}
	return b.String()
}

// Query is the tokens a search for s looks for, every one required: its
// folded words (an Arabic word's stem), and for a CJK run its pairs (a
// lone character itself); without repeats, at most MaxQueryTokens.
func Query(s string) []string {
	var out []string
	add := func(t string) {
		if len(out) < MaxQueryTokens && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	for _, r := range runs(s) {
		switch {
		case !r.cjk:
			add(stem(r.text(0, len(r.units))))
		case len(r.units) == 1:
			add(r.text(0, 1))
		default:
			for i := 0; i+1 < len(r.units); i++ {
				add(r.text(i, i+2))
			}
		}
	}
	return out
}

// Span is a part of the original text, as byte offsets.
type Span struct{ Start, End int }

// Marks is where s holds any of the query's tokens (as Query gives them),
// in order and merged where they overlap: a word that folds (or whose stem
// folds) to a token, or a CJK character or pair that does.
func Marks(s string, tokens []string) []Span {
	if len(tokens) == 0 {
		return nil
	}
	var out []Span
	add := func(a, b int) {
		if n := len(out); n > 0 && a <= out[n-1].End {
			out[n-1].End = max(out[n-1].End, b)
			return
		}
		out = append(out, Span{a, b})
	}
	for _, r := range runs(s) {
		if !r.cjk {
			if w := r.text(0, len(r.units)); slices.Contains(tokens, w) || slices.Contains(tokens, stem(w)) {
				add(r.units[0].start, r.units[len(r.units)-1].end)
			}
			continue
		}
		for i := range r.units {
			if i+1 < len(r.units) && slices.Contains(tokens, r.text(i, i+2)) {
				add(r.units[i].start, r.units[i+1].end)
			} else if slices.Contains(tokens, r.text(i, i+1)) {
				add(r.units[i].start, r.units[i].end)
			}
		}
	}
	return out
}
