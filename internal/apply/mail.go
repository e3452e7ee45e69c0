package apply

import (
	"strings"
	"sync"

	"concord/internal/i18n"
	"concord/internal/store"
)

// catalogue is the embedded message catalogue, loaded once: notice emails
// are written from it in each recipient's language.
var catalogue = sync.OnceValues(i18n.New)

// NoticeMail renders notice n as an email in lang (the recipient's): the
// notice as the inbox words it, its deadline, and a link to it in the
// same language.
func NoticeMail(lang string, n store.Notice, baseURL string) (subject, body string, err error) {
	cat, err := catalogue()
	if err != nil {
		return "", "", err
	}
	text := cat.T(lang, n.Key, store.NoticeData(n.Args))
	subject = cat.T(lang, "mail.notice.subject", map[string]any{"Notice": text})
	var b strings.Builder
	b.WriteString(text + "\n\n")
	if d := n.Args["Deadline"]; d != "" {
		b.WriteString(cat.T(lang, "mail.notice.deadline", map[string]any{"Deadline": d}) + "\n")
	}
	b.WriteString(cat.T(lang, "mail.notice.details", map[string]any{"Link": baseURL + "/" + lang + n.Link}) + "\n")
	return subject, b.String(), nil
}
