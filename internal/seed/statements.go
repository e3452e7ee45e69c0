package seed

import (
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"concord"
	"concord/internal/agendasvc"
	"concord/internal/decide"
	"concord/internal/statements"
	"concord/internal/store"
)

// The demo's statements (issue 12): item 5 of the first substantive
// plenary (20–24 July 2026), discussed on 21 July in the informal segment
// the session went on in once its agenda was not adopted, so they are kept
// but not part of the official record. The list of speakers follows the
// rule: the European Union on behalf of its member States first, then the
// Member States in the order they inscribed. The texts are short neutral
// summaries written for the demo, not quotations.

// StatementsPerScale is the statements seed --scale adds per unit.
const StatementsPerScale = 100000

// scaleStatements is StatementsPerScale unless a test lowers it.
var scaleStatements = StatementsPerScale

// demoStatement is one speaker on item 5.
type demoStatement struct {
	speaker string // ISO3, or "EU" for the European Union's group
	at      string // New York time, 21 July 2026
	minutes int
	texts   concord.Text
	stance  decision.PositionKind // on item 5
}

var demoStatements = []demoStatement{
	{"EU", "10:05", 6, concord.Text{
		"en": "The European Union, on behalf of its member States, supports taking up item 5 as drafted, covering the five pillars in line with the documents that established the Mechanism, and calls for practical work on implementing the agreed framework of responsible State behaviour.",
		"fr": "L’Union européenne, au nom de ses États membres, est favorable à l’examen du point 5 tel qu’il est rédigé, couvrant les cinq piliers conformément aux documents portant création du Mécanisme, et appelle à des travaux pratiques sur la mise en œuvre du cadre convenu de comportement responsable des États."},
		decision.PositionSupport},
	{"IRN", "10:14", 5, concord.Text{
		"en": "The Islamic Republic of Iran asks that item 5 reflect paragraph 9 of Annex C precisely, and takes part in the informal discussion without prejudice to its position on the agenda."},
		decision.PositionReservation},
	{"RUS", "10:22", 5, concord.Text{
		"ru": "Российская Федерация поддерживает просьбу Ирана о формулировке пункта 5 и призывает к работе над юридически обязывающими нормами поведения государств в сфере использования ИКТ.",
		"en": "The Russian Federation supports Iran’s request on the wording of item 5 and calls for work towards legally binding rules of State conduct in the use of ICTs."},
		decision.PositionReservation},
	{"CAN", "10:31", 4, concord.Text{
		"en": "Canada supports the agenda as drafted, recalls that international law, including international humanitarian law, applies to States’ use of ICTs, and welcomes the participation of stakeholders.",
		"fr": "Le Canada appuie l’ordre du jour tel qu’il est rédigé, rappelle que le droit international, y compris le droit international humanitaire, s’applique à l’utilisation des TIC par les États, et se félicite de la participation des parties prenantes."},
		decision.PositionSupport},
	{"USA", "10:39", 4, concord.Text{
		"en": "The United States would have preferred that this session adopt its own agenda, supports a substantive discussion of every pillar under item 5, and stresses implementing the existing framework."},
		decision.PositionSupport},
}

// julyPlenary is the demo's July plenary meeting (the session
// AgendaSession), or a zero meeting when it is not there.
func julyPlenary(ctx context.Context, db *store.DB) (meeting.Meeting, error) {
	ms, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Body: meeting.Plenary, Upcoming: true, Now: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), Limit: 20})
	for _, m := range ms {
		if m.Session == AgendaSession {
			return m, err
		}
	}
	return meeting.Meeting{}, err
}

// Statements adds the demo's list of speakers and statements on item 5 of
// the July plenary once; it does nothing when that meeting already has
// statements or is not there.
func Statements(ctx context.Context, db *store.DB) error {
	july, err := julyPlenary(ctx, db)
	if err != nil || july.ID == 0 {
		return err
	}
	r := db.Read(ctx)
	if n, err := r.CountStatements(store.StatementQuery{Process: concord.DefaultProcessCode, Meeting: july.ID}); err != nil || n > 0 {
		return err
	}
	eu, err := euGroup(ctx, db)
	if err != nil {
		return err
	}
	ny, err := meeting.Zone(meeting.DefaultZone)
	if err != nil {
		return err
	}
	local := func(hm string) time.Time {
		t, err := time.ParseInLocation("2006-01-02 15:04", "2026-07-21 "+hm, ny)
		if err != nil {
			panic(err)
		}
		return t
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	svc := &statements.Service{DB: db, Process: concord.DefaultProcessCode, Agendas: &agendasvc.Service{Decide: &decide.Service{DB: db, Process: concord.DefaultProcessCode}}}
	sec := &concord.User{Role: concord.RoleSecretariat}
	const item = "item-5"
	// The delegations inscribed before the meeting (16 July); the meeting
	// has since concluded, so the places are written as they were taken,
	// in the order of the rule.
	at("2026-07-16T14:00:00Z")
	var places []statement.Inscription
	err = db.Update(ctx, "system", func(tx *store.Tx) error {
		var list []statement.Inscription
		for _, d := range demoStatements {
			code, class := d.speaker, statement.ClassMember
			if code == "EU" {
				if eu == "" {
					continue
				}
				code, class = eu, statement.ClassGroup
			}
			in := statement.Inscription{Process: concord.DefaultProcessCode, Meeting: july.ID, Item: item, Speaker: code, Class: class}
			list = statement.Insert(statement.DefaultOrder(), list, in)
		}
		for i := range list {
			if err := tx.AddInscription(&list[i]); err != nil {
				return err
			}
		}
		places = list
		return nil
	})
	if err != nil {
		return err
	}
	for _, d := range demoStatements {
		code := d.speaker
		if code == "EU" {
			code = eu
		}
		for _, in := range places {
			if in.Speaker != code {
				continue
			}
			delivered := local(d.at)
			at(delivered.Add(time.Duration(d.minutes) * time.Minute).UTC().Format(time.RFC3339))
			if _, _, err := svc.MarkSpoke(ctx, sec, in.ID, statements.SpokeInput{At: delivered, Duration: time.Duration(d.minutes) * time.Minute, Record: true, Texts: d.texts}); err != nil {
				return fmt.Errorf("demo statement by %s: %w", d.speaker, err)
			}
		}
	}
	// Each statement carries the speaker's position on item 5, as the
	// positions register will read them: recorded as statements of their
	// own would be, by the Secretariat, with the same delivery time.
	list, err := r.Statements(store.StatementQuery{Process: concord.DefaultProcessCode, Meeting: july.ID, Limit: 50})
	if err != nil {
		return err
	}
	return db.Update(ctx, "system", func(tx *store.Tx) error {
		for _, st := range list {
			for _, d := range demoStatements {
				if d.speaker == st.Speaker || (d.speaker == "EU" && st.Speaker == eu) {
					st.Stances = []statement.Stance{{Subject: statement.ItemSubject(AgendaSession, item),
						Position: decision.Position{Actor: st.Speaker, Kind: d.stance, At: st.At, Source: statement.Source(st.ID)}}}
					if err := tx.SaveStatement(&st, "statement.record"); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// ScaleStatements adds StatementsPerScale statements for unit batch of
// scale over that batch's meetings, in one write of multi-row inserts:
// States, some groups and stakeholders, every kind, texts in one or two
// languages.
func ScaleStatements(ctx context.Context, db *store.DB, r *rand.Rand, batch int) error {
	ms, err := db.Meetings(ctx, store.MeetingQuery{Process: concord.DefaultProcessCode, Upcoming: true, Now: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
		Limit: MeetingsPerScale, Offset: batch * MeetingsPerScale})
	if err != nil || len(ms) == 0 {
		return err
	}
	states, err := db.ListStates(ctx)
	if err != nil {
		return err
	}
	// The demo's topic round, when seeded: some statements carry a
	// position on one of its topics.
	rounds, err := (&decide.Service{DB: db, Process: concord.DefaultProcessCode}).TopicRounds(ctx, "")
	if err != nil {
		return err
	}
	list := make([]statement.Statement, 0, scaleStatements)
	// A stream of its own for the positions, so that the draws of the
	// statements (and of everything seeded after them) stay as they were;
	// and one for the topics.
	pr := rand.New(rand.NewPCG(uint64(batch), 26))
	tr := rand.New(rand.NewPCG(uint64(batch), 35))
	for i := range scaleStatements {
		m := ms[r.IntN(len(ms))]
		speaker := states[r.IntN(len(states))].ISO3
		switch r.IntN(20) {
		case 0:
			speaker = fmt.Sprintf("group-%d", 1+r.IntN(10))
		case 1:
			speaker = fmt.Sprintf("org-%d", 1+r.IntN(500))
		}
		at := m.Start.Add(time.Duration(r.Int64N(int64(m.End.Sub(m.Start)))))
		l := concord.Languages[r.IntN(len(concord.Languages))]
		st := statement.Statement{Process: concord.DefaultProcessCode, Meeting: m.ID, Speaker: speaker, Kind: statement.Kinds[r.IntN(len(statement.Kinds))],
			At: at, Texts: concord.Text{l: fmt.Sprintf("Statement %d: %s %s %s.", batch*scaleStatements+i+1, word(r), word(r), word(r))}}
		// One statement in ScalePositionShare carries a position on an
		// item of the demo's session, for the map's and the register's
		// benchmarks.
		if pr.IntN(ScalePositionShare) == 0 {
			st.Session, st.Item = AgendaSession, fmt.Sprintf("item-%d", 1+pr.IntN(9))
			kinds := mapKinds()
			st.Stances = []statement.Stance{{Subject: statement.ItemSubject(st.Session, st.Item),
				Position: decision.Position{Actor: speaker, Kind: kinds[pr.IntN(len(kinds))], At: at.UTC().Truncate(time.Second)}}}
		}
		// As many carry a position on a topic of the first round (the
		// scale meetings are outside any session).
		if len(rounds) > 0 && len(rounds[0].Doc.Suggestions) > 0 && tr.IntN(ScalePositionShare) == 0 {
			sugs := rounds[0].Doc.Suggestions
			kinds := mapKinds()
			st.Stances = append(st.Stances, statement.Stance{Subject: statement.TopicSubject(rounds[0].ID, sugs[tr.IntN(len(sugs))].ID),
				Position: decision.Position{Actor: speaker, Kind: kinds[tr.IntN(len(kinds))], At: at.UTC().Truncate(time.Second)}})
		}
		list = append(list, st)
	}
	return db.Update(ctx, "system", func(tx *store.Tx) error { return tx.ImportStatements(list) })
}

// ScalePositionShare: one scale statement in this many carries a position
// on an item of the demo's session, and one in as many a position on a
// topic of the demo's topic round (1,000 of each per unit of scale).
const ScalePositionShare = 100

// mapKinds are the stances scale statements take.
func mapKinds() []decision.PositionKind {
	return []decision.PositionKind{decision.PositionSupport, decision.PositionNoObjection, decision.PositionReservation, decision.PositionObjection, decision.PositionAbstention}
}

// SetScaleStatements sets how many statements a scale unit adds (tests and
// benchmarks use fewer) and returns the function that restores it.
func SetScaleStatements(n int) func() {
	old := scaleStatements
	scaleStatements = n
	return func() { scaleStatements = old }
}

// demoTopicStatement is a statement at the July plenary on the topics the
// first DTG should take up, carrying positions on the topics of the demo's
// topic round.
type demoTopicStatement struct {
	speaker string // ISO3, or "EU"
	at      string // New York time, 22 July 2026
	text    concord.Text
	topics  map[string]decision.PositionKind // by suggestion id
}

var demoTopicStatements = []demoTopicStatement{
	{"EU", "10:20", concord.Text{"en": "The European Union, on behalf of its member States, supports taking up ransomware and the protection of critical infrastructure as the group’s first topics."},
		map[string]decision.PositionKind{"t1": decision.PositionSupport, "t2": decision.PositionSupport}},
	{"BEL", "10:35", concord.Text{"fr": "La Belgique appuie le thème de la protection des infrastructures critiques et réserve sa position sur celui des technologies émergentes."},
		map[string]decision.PositionKind{"t2": decision.PositionSupport, "t3": decision.PositionReservation}},
	{"CHN", "10:50", concord.Text{"zh": "中国支持将新兴技术对国际安全的影响列为议题。", "en": "China supports taking up the effects of emerging technologies on international security as a topic."},
		map[string]decision.PositionKind{"t3": decision.PositionSupport, "t1": decision.PositionReservation}},
	{"IRN", "11:05", concord.Text{"en": "The Islamic Republic of Iran holds that topics must be agreed by consensus and objects to ransomware being taken up first."},
		map[string]decision.PositionKind{"t1": decision.PositionObjection}},
}

// TopicStatements adds, once, statements at the July plenary (22 July 2026,
// the meeting generally) on the topics the first DTG should take up, which
// carry positions on the topics of the demo's topic round, so that the
// topics' registers, the map's topic columns and the States' records have
// something to show. (The round opened later, in September: the demo
// records the positions against the topics as they were then suggested.)
// It does nothing without that meeting or that round, or when it was done.
func TopicStatements(ctx context.Context, db *store.DB) error {
	dsvc := &decide.Service{DB: db, Process: concord.DefaultProcessCode}
	rounds, err := dsvc.TopicRounds(ctx, concord.DTGs[0].Code)
	if err != nil || len(rounds) == 0 {
		return err
	}
	round := rounds[0]
	july, err := julyPlenary(ctx, db)
	if err != nil || july.ID == 0 {
		return err
	}
	if l, err := db.Read(ctx).PositionStatements(store.PositionQuery{Process: concord.DefaultProcessCode, Topics: true, Limit: 1}); err != nil || len(l) > 0 {
		return err
	}
	eu, err := euGroup(ctx, db)
	if err != nil {
		return err
	}
	ny, err := meeting.Zone(meeting.DefaultZone)
	if err != nil {
		return err
	}
	_, at, restore := scriptedClock(db)
	defer restore()
	svc := &statements.Service{DB: db, Process: concord.DefaultProcessCode, Agendas: &agendasvc.Service{Decide: dsvc}}
	sec := &concord.User{Role: concord.RoleSecretariat}
	for _, d := range demoTopicStatements {
		code := d.speaker
		if code == "EU" {
			if eu == "" {
				continue
			}
			code = eu
		}
		delivered, err := time.ParseInLocation("2006-01-02 15:04", "2026-07-22 "+d.at, ny)
		if err != nil {
			return err
		}
		at(delivered.Add(10 * time.Minute).UTC().Format(time.RFC3339))
		in := statements.Input{Meeting: july.ID, Speaker: code, Kind: statement.Plain, At: delivered, Texts: d.text}
		for _, id := range []string{"t1", "t2", "t3"} {
			if k, ok := d.topics[id]; ok {
				in.Positions = append(in.Positions, statements.PositionInput{Topic: statements.TopicRef{Round: round.ID, ID: id}.String(), Kind: k})
			}
		}
		if _, err := svc.Record(ctx, sec, in); err != nil {
			return fmt.Errorf("demo topic statement by %s: %w", d.speaker, err)
		}
	}
	return nil
}
