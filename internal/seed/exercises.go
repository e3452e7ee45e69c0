package seed

import (
	"context"
	"time"

	"concord"
	"concord/capacity"
	"concord/exercise"
	"concord/internal/exercises"
	"concord/internal/store"
)

// Exercises adds the demo's tabletop exercise once (nothing when the
// process has one): ransomware on a hospital network, run for the POC
// network by the Secretariat with Japan, the Netherlands, the United
// Kingdom, Sudan, Kenya and France (domain brief §6 point 5), four injects
// and the States' responses, then the debrief and lessons linked to norms,
// published after the end; the responses stay with the participants. It
// runs through the service at scripted instants, as the facilitator and
// the delegates would.
func Exercises(ctx context.Context, db *store.DB) error {
	p := concord.DefaultProcessCode
	if l, err := db.Read(ctx).Exercises(p, 1); err != nil || len(l) > 0 {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	at("2026-11-17T09:00:00Z")
	svc := &exercises.Service{DB: db, Process: p}
	sec := &concord.User{Role: concord.RoleSecretariat}
	start := time.Date(2026, 11, 18, 14, 0, 0, 0, time.UTC)
	e, err := svc.Create(ctx, sec, exercises.Input{Setting: exercise.POCNetwork, Facilitator: exercise.BySecretariat,
		Title: concord.Text{"en": "Ransomware on a hospital network", "fr": "Rançongiciel sur le réseau d’un hôpital",
			"ar": "برمجية فدية على شبكة مستشفى", "es": "Ransomware en la red de un hospital"},
		Narrative: concord.Text{
			"en": "At 06:40 local time the regional hospital of a participating State loses its patient records and its laboratory systems: a ransomware group has encrypted them and threatens to publish patient data. Ambulances are diverted. Traces point to servers in two other participating States.\n\nEach State answers as its **point of contact** would: what it asks, what it offers, whom it tells.",
			"fr": "À 6 h 40, heure locale, l’hôpital régional d’un État participant perd ses dossiers de patients et ses systèmes de laboratoire : un groupe de rançongiciel les a chiffrés et menace de publier des données de patients. Les ambulances sont déroutées. Les traces mènent à des serveurs situés dans deux autres États participants.\n\nChaque État répond comme le ferait son **point de contact**."},
		States: []string{"JPN", "NLD", "GBR", "SDN", "KEN", "FRA"}, Start: start, End: start.Add(2 * time.Hour)})
	if err != nil {
		return err
	}
	for _, in := range []struct {
		min  int
		text string
	}{
		{0, "The hospital's CERT reports the encryption and asks the national CERT for help. The ransom note names a leak site."},
		{20, "Forensics find that the attackers entered through a compromised VPN appliance; command-and-control servers are hosted in the Netherlands and the United Kingdom."},
		{45, "The ransomware group publishes a sample of patient records. The press asks whether a State is behind the attack."},
		{75, "Kenya's point of contact sends a formal request for assistance through the POC directory to all participants."},
	} {
		if _, err := svc.AddInject(ctx, sec, e.ID, time.Duration(in.min)*time.Minute, in.text, nil); err != nil {
			return err
		}
	}
	del := func(iso string) *concord.User { return &concord.User{Role: concord.RoleDelegate, State: iso} }
	for _, r := range []struct {
		at, state string
		no        int
		text      string
	}{
		{"2026-11-18T14:08:00Z", "KEN", 1, "Our national CERT takes the lead and sends a team to the hospital; we notify the participants' points of contact."},
		{"2026-11-18T14:12:00Z", "JPN", 1, "We acknowledge and stand ready to share indicators of compromise from similar cases in our hospitals."},
		{"2026-11-18T14:25:00Z", "NLD", 2, "Our CERT confirms the hosting provider and asks it to preserve the logs; we will share them through the POC channel."},
		{"2026-11-18T14:27:00Z", "GBR", 2, "The NCSC has taken the servers' addresses; law enforcement is informed under our cooperation arrangements."},
		{"2026-11-18T14:52:00Z", "FRA", 3, "We advise against attribution at this stage: the facts point to a criminal group, and norm (b) asks us to consider all relevant information."},
		{"2026-11-18T14:55:00Z", "SDN", 3, "Our CERT issues an alert to our own hospitals, which use the same VPN appliance."},
		{"2026-11-18T15:20:00Z", "FRA", 4, "We answer Kenya's request within the hour: two incident responders can join remotely."},
		{"2026-11-18T15:24:00Z", "NLD", 4, "We offer the decryption keys our police recovered from the same group in an earlier case."},
	} {
		at(r.at)
		if _, err := svc.Respond(ctx, del(r.state), e.ID, r.no, r.text); err != nil {
			return err
		}
	}
	at("2026-11-18T17:30:00Z")
	if _, err := svc.SetDebrief(ctx, sec, e.ID, "Six States took part. The request for assistance was answered within **45 minutes** by two States; the technical exchange through the POC channel worked, the diplomatic one was slower. The participants asked for a second round with an attack on water supply.", true, false); err != nil {
		return err
	}
	for _, l := range []exercise.Lesson{
		{Norms: []capacity.Area{"norm.h"}, Text: "Requests for assistance were answered faster when the technical POC had a named alternate.",
			Recommendation: "Every State nominates an alternate technical POC and answers ping tests."},
		{Norms: []capacity.Area{"norm.b", "norm.f"}, Text: "The press question on attribution came before the facts were known.",
			Recommendation: "Agree a line for the press that separates the criminal incident from questions of State responsibility."},
		{Norms: []capacity.Area{"norm.g", "norm.j"}, Text: "The vulnerable VPN appliance was used by hospitals in three States.",
			Recommendation: "Share vulnerability reports on medical networks through the POC directory."},
	} {
		if _, err := svc.AddLesson(ctx, sec, e.ID, l); err != nil {
			return err
		}
	}
	return nil
}
