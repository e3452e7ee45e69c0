package textfold

import (
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"latin case and accents", "Sécurité des TIC: ÉTATS", "securite des tic etats"},
		{"spanish", "Fomento de la CONFIANZA, niño", "fomento de la confianza nino"},
		{"compatibility forms", "ﬁle Ａ１", "file a1"},
		{"symbol", "A/AC.GM/2026/WP.1/Rev.1", "a ac gm 2026 wp 1 rev 1"},
		{"cyrillic case and yo", "Безопасность ЁЛКА", "безопасность елка"},
		{"cyrillic short i", "Мой", "мои"},
		{"arabic alef variants", "أمن إطار آخر ٱلدول", "امن اطار اخر الدول دول"},
		{"arabic ta marbuta and alef maqsura", "المعلومات الدولية على", "المعلومات معلومات الدوليه دوليه علي"},
		{"arabic tashkeel", "الأَمْنُ السِّيبَرَانِيُّ", "الامن امن السيبراني سيبراني"},
		{"arabic tatweel", "الأمـــن", "الامن امن"},
		{"arabic article and particles", "والثقة بالدول للدول وبناء", "والثقه ثقه بالدول دول للدول دول وبناء بناء"},
		{"arabic short words keep their letters", "الى ولد وال", "الي ولد وال"},
		{"arabic dagger alef", "هٰذا", "هذا"},
		{"arabic digits", "٢٠٢٦ ۳", "2026 3"},
		{"arabic presentation forms", "ﻻ", "لا"},
		{"chinese unigrams and bigrams", "网络安全", "网 网络 络 络安 安 安全 全"},
		{"chinese mixed with latin", "ICT安全", "ict 安 安全 全"},
		{"chinese punctuation cuts", "网络，安全", "网 网络 络 安 安全 全"},
		{"chinese full-width digits", "２０２６年", "2026 年"},
		{"empty and punctuation", " — ; ", ""},
	} {
		if got := Index(c.in); got != c.want {
			t.Errorf("%s: Index(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestQuery(t *testing.T) {
	for _, c := range []struct {
		name, in string
		want     []string
	}{
		{"english", "Confidence-building measures", []string{"confidence", "building", "measures"}},
		{"french", "sécurité", []string{"securite"}},
		{"repeats once", "the THE the", []string{"the"}},
		{"russian", "Меры доверия", []string{"меры", "доверия"}},
		{"arabic folded like the index, stems", "إِجْرَاءَاتُ بناء الثقة", []string{"اجراءات", "بناء", "ثقه"}},
		{"arabic prefixed forms ask for one stem", "والثقة بالثقة ثقة", []string{"ثقه"}},
		{"chinese bigrams", "网络安全", []string{"网络", "络安", "安全"}},
		{"chinese one character", "法", []string{"法"}},
		{"chinese and latin", "ICT 安全", []string{"ict", "安全"}},
		{"nothing", "…", nil},
		{"bounded", "a b c d e f g h i j k l m n o", []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"}},
	} {
		if got := Query(c.in); !slices.Equal(got, c.want) {
			t.Errorf("%s: Query(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

// Every token a query looks for is among the index's tokens of the same
// words written another way: the property both databases rely on.
func TestQueryFindsIndex(t *testing.T) {
	for _, c := range []struct{ text, query string }{
		{"Les mesures de confiance sont ÉLABORÉES", "elaborees MESURES"},
		{"МЕРЫ ДОВЕРИЯ, принятые всеми", "меры доверия"},
		{"تدابير بناء الثقة في مجال الأمن", "الامن الثقة"},
		{"تدابيرُ بِناءِ الثِّقَةِ", "تدابير بناء الثقه"},
		{"关于信息和通信技术安全的开放式工作组", "通信技术"},
		{"关于信息和通信技术安全", "安全"},
		{"مؤسسة", "موسسه"},
		{"تعزيز الثقة بين الدول", "والثقة للدول"},
		{"بناء ثقة", "الثقة"},
	} {
		idx := Index(c.text)
		toks := map[string]bool{}
		for _, w := range splitSpaces(idx) {
			toks[w] = true
		}
		for _, q := range Query(c.query) {
			if !toks[q] {
				t.Errorf("query %q: token %q not in the index of %q (%q)", c.query, q, c.text, idx)
			}
		}
	}
}

func splitSpaces(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func TestMarks(t *testing.T) {
	for _, c := range []struct {
		name, text, query string
		want              []string
	}{
		{"english", "Confidence-building measures build confidence", "confidence", []string{"Confidence", "confidence"}},
		{"accents kept in the original", "La sécurité, la Sécurité", "securite", []string{"sécurité", "Sécurité"}},
		{"russian", "Меры доверия", "меры", []string{"Меры"}},
		{"arabic with tashkeel", "الأَمْنُ السيبراني", "الامن", []string{"الأَمْنُ"}},
		{"arabic prefixed forms", "الثقة والثقة بالثقة ثقة ثقافة", "الثقة", []string{"الثقة", "والثقة", "بالثقة", "ثقة"}},
		{"chinese pairs merged", "关于网络安全问题", "网络安全", []string{"网络安全"}},
		{"chinese one character", "国际法和法律", "法", []string{"法", "法"}},
		{"no match", "nothing here", "absent", nil},
	} {
		text := c.text
		var got []string
		for _, s := range Marks(text, Query(c.query)) {
			got = append(got, text[s.Start:s.End])
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: Marks = %q, want %q", c.name, got, c.want)
		}
	}
}
