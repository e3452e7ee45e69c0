package seed

import (
	"context"
	"slices"
	"strings"

	"concord"
	"concord/internal/store"
	"concord/poc"
)

// demoMessage is a thread of the demo's message log: its first message,
// whether the receiving State acknowledged it, and the reply, if any.
type demoMessage struct {
	m     poc.Message
	ack   string // instant, or "" when not acknowledged
	reply string // text of the receiving State's reply, or ""
}

var demoMessages = []demoMessage{
	{m: poc.Message{From: "FRA", To: "DEU", Template: poc.IncidentNotice, Lang: "en", SentBy: "delegate-fra", Fields: map[string]string{
		"subject": "Ransomware affecting hospital networks", "reference": "CERT-FR-2026-0613", "detected": "2026-06-13",
		"description": "A ransomware strain encrypted patient records at two hospitals in Grand Est. Indicators point to servers hosted in Germany.",
		"measures":    "Affected networks isolated; indicators shared with CERT-EU."}},
		ack: "2026-06-15T11:20:00Z", reply: "Received. BSI is checking the indicators against German hosting providers and will answer within 48 hours."},
	{m: poc.Message{From: "JPN", To: "NLD", Template: poc.RequestInformation, Lang: "en", SentBy: "delegate-jpn", Fields: map[string]string{
		"subject": "Scanning of port authority systems", "question": "Have your port authorities observed scanning of their operational technology from the ranges listed in our advisory?",
		"respond_by": "2026-06-30"}}},
	{m: poc.Message{From: "KEN", To: "BRA", Template: poc.RequestAssistance, Lang: "fr", SentBy: "delegate-ken", Fields: map[string]string{
		"subject": "Analyse d’un logiciel malveillant visant le secteur financier", "assistance": "Une aide pour analyser un échantillon de logiciel malveillant trouvé dans deux banques.",
		"affected": "Secteur bancaire"}}},
}

// POCMessages adds the demo's message log between POCs and one bounced
// address, once: it does nothing when any message exists. The messages are
// written as the service records them, without their emails (the demo's
// POC addresses are not real).
func POCMessages(ctx context.Context, db *store.DB) error {
	p := concord.DefaultProcessCode
	if l, err := db.Read(ctx).Messages(p, "", 1); err != nil || len(l) > 0 {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	for i, d := range demoMessages {
		at([]string{"2026-06-14T08:30:00Z", "2026-06-16T02:10:00Z", "2026-06-17T13:45:00Z"}[i])
		m := d.m
		m.Process = p
		err := db.Update(ctx, "seed", func(tx *store.Tx) error {
			to, err := tx.POCs(p, m.To)
			if err != nil {
				return err
			}
			m.Sent, m.Mailed = tx.Now, len(to)
			return tx.SaveMessage(&m, "poc.message.send")
		})
		if err != nil {
			return err
		}
		if d.ack == "" {
			continue
		}
		at(d.ack)
		if err := db.Update(ctx, "seed", func(tx *store.Tx) error {
			a, err := m.Acknowledge(m.To, "delegate-"+strings.ToLower(m.To), tx.Now)
			if err != nil {
				return err
			}
			if err := tx.SaveMessage(&a, "poc.message.ack"); err != nil {
				return err
			}
			r, err := poc.Answer(a, m.To, d.reply, "en", tx.Now)
			if err != nil {
				return err
			}
			r.SentBy = a.AckBy
			return tx.SaveMessage(&r, "poc.message.reply")
		}); err != nil {
			return err
		}
	}
	// A technical POC's address (of a State after France and Germany in
	// the directory) bounced during the demo's ping round.
	all, err := db.POCs(ctx, p, "")
	if err != nil {
		return err
	}
	i := slices.IndexFunc(all, func(x poc.POC) bool { return x.Kind == poc.Technical && x.State > "FRA" })
	if i < 0 {
		return nil
	}
	at("2026-06-10T09:05:00Z")
	return db.Update(ctx, "seed", func(tx *store.Tx) error {
		_, err := tx.BouncePOCs(p, poc.Bounce{Email: all[i].Email, At: tx.Now, Reason: "550 5.1.1 mailbox unavailable", By: "seed"})
		return err
	})
}
