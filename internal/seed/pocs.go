package seed

import (
	"context"
	"fmt"
	"strings"
	"time"

	"concord"
	"concord/internal/pocs"
	"concord/internal/store"
	"concord/poc"
)

// The demo's Points of Contact directory (domain brief §3.3): 120 States
// with a diplomatic point of contact, every other one with a technical one
// too, and the first ping test (10–12 June 2026), closed, most of them
// having answered. The pings are recorded as they were answered; the
// demo sends no email (its addresses are under .example).

// DemoPOCStates is how many States the demo gives points of contact.
const DemoPOCStates = 120

// POCs adds the demo's directory and ping round once; it does nothing when
// the directory has any point of contact.
func POCs(ctx context.Context, db *store.DB) error {
	p := concord.DefaultProcessCode
	if n, err := db.NominatedStates(ctx, p); err != nil || n > 0 {
		return err
	}
	states, err := db.Read(ctx).States()
	if err != nil {
		return err
	}
	if len(states) > DemoPOCStates {
		states = states[:DemoPOCStates]
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-05-04T09:00:00Z")
	var all []poc.POC
	err = db.Update(ctx, "system", func(tx *store.Tx) error {
		for i, st := range states {
			iso := strings.ToLower(st.ISO3)
			kinds := []poc.Kind{poc.Diplomatic}
			if i%2 == 0 {
				kinds = append(kinds, poc.Technical)
			}
			for j, k := range kinds {
				x := poc.POC{Process: p, State: st.ISO3, Kind: k,
					Name:     fmt.Sprintf("%s %s", map[poc.Kind]string{poc.Diplomatic: "Cyber Affairs Desk", poc.Technical: "National CERT Duty Officer"}[k], st.ISO3),
					Function: map[poc.Kind]string{poc.Diplomatic: "Ministry of Foreign Affairs, cyber diplomacy", poc.Technical: "National CERT, incident coordination"}[k],
					Email:    fmt.Sprintf("%s.%s@poc.example", k, iso), Phone: fmt.Sprintf("+1 212 555 %04d", i*2+j),
					Languages: []string{concord.Languages[i%len(concord.Languages)], "en"}, Hours: map[poc.Kind]string{poc.Diplomatic: "Mon–Fri 09:00–18:00 local time", poc.Technical: "24/7"}[k]}
				if x.Languages[0] == "en" {
					x.Languages = x.Languages[:1]
				}
				if err := tx.SavePOC(&x, "poc.nominate"); err != nil {
					return fmt.Errorf("demo POC %s: %w", st.ISO3, err)
				}
				all = append(all, x)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	svc := &pocs.Service{DB: db, Process: p}
	sec := &concord.User{Role: concord.RoleSecretariat}
	at("2026-06-01T09:00:00Z")
	rd, err := svc.Schedule(ctx, sec, pocs.RoundInput{Opens: time.Date(2026, 6, 10, 9, 0, 0, 0, time.UTC),
		Closes: time.Date(2026, 6, 12, 17, 0, 0, 0, time.UTC), Note: "First ping test of the Global POC Directory."})
	if err != nil {
		return err
	}
	// Opened and answered as it happened; no link is made, no mail sent.
	at("2026-06-10T09:00:00Z")
	if err := db.Update(ctx, "system", func(tx *store.Tx) error {
		if rd, err = rd.Open(tx.Now); err != nil {
			return err
		}
		if err := tx.SaveRound(&rd, "poc.round.open"); err != nil {
			return err
		}
		for _, x := range all {
			if err := tx.AddPing(poc.Ping{Round: rd.ID, POC: x.ID, State: x.State, Kind: x.Kind, Name: x.Name, Email: x.Email}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	at("2026-06-12T16:00:00Z")
	if err := db.Update(ctx, "system", func(tx *store.Tx) error {
		for i, x := range all {
			if i%7 == 3 || i%11 == 5 {
				continue // no answer
			}
			ping := poc.Ping{Round: rd.ID, POC: x.ID, State: x.State, Kind: x.Kind, Name: x.Name, Email: x.Email,
				Answered: rd.Opened.Add(time.Duration(20+i*7%2800) * time.Minute), By: x.Name}
			if err := tx.SavePing(&ping, "poc.ack"); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	at("2026-06-12T17:00:00Z")
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		if rd, err = rd.Close(tx.Now); err != nil {
			return err
		}
		return tx.SaveRound(&rd, "poc.round.close")
	})
}
