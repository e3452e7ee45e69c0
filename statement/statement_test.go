package statement_test

import (
	"concord"
	"concord/decision"
	"concord/meeting"
	"concord/statement"
	"errors"
	"slices"
	"testing"
	"time"
)

func keys(err error) []string {
	var es concord.Errors
	if errors.As(err, &es) {
		var out []string
		for _, e := range es {
			out = append(out, e.Key)
		}
		return out
	}
	var e *concord.Error
	if errors.As(err, &e) {
		return []string{e.Key}
	}
	return nil
}

var (
	start = time.Date(2026, 7, 20, 14, 0, 0, 0, time.UTC)
	july  = meeting.Meeting{ID: 1, Status: meeting.InProgress, Attendance: meeting.StatesStakeholders, Start: start, End: start.Add(8 * time.Hour),
		Segments: []meeting.Segment{{Formal: true, Start: start, End: start.Add(90 * time.Minute)}, {Formal: false, Start: start.Add(90 * time.Minute), End: start.Add(8 * time.Hour)}}}
)

func TestSpeakerKind(t *testing.T) {
	for code, want := range map[string]string{"FRA": "state", "group-12": "group", "org-3": "stakeholder", "chair": "chair",
		"fra": "", "group-0": "", "org-": "", "secretariat": "", "": ""} {
		if got := statement.SpeakerKind(code); got != want {
			t.Errorf("SpeakerKind(%q) = %q, want %q", code, got, want)
		}
	}
}

// The list follows the rule as delegations inscribe in any order: groups,
// Member States, observers, stakeholders, replies; within a segment, the
// order of inscription; a segment never jumps ahead of a speaker who
// already spoke.
func TestInsertFollowsTheRule(t *testing.T) {
	r := statement.DefaultOrder()
	var list []statement.Inscription
	add := func(id int64, code string, c statement.Class) {
		list = statement.Insert(r, list, statement.Inscription{ID: id, Speaker: code, Class: c})
	}
	add(1, "CAN", statement.ClassMember)
	add(2, "org-4", statement.ClassStakeholder)
	add(3, "IRN", statement.ClassReply)
	add(4, "PSE", statement.ClassObserver)
	add(5, "group-1", statement.ClassGroup)
	add(6, "USA", statement.ClassMember)
	var got []string
	for i, in := range list {
		got = append(got, in.Speaker)
		if in.Place != i+1 {
			t.Errorf("%s at place %d, want %d", in.Speaker, in.Place, i+1)
		}
	}
	if want := []string{"group-1", "CAN", "USA", "PSE", "org-4", "IRN"}; !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Canada spoke, then a second group inscribes: it goes after the
	// speakers already heard, not before them.
	list[0].Spoke, list[1].Spoke = true, true
	add(7, "group-2", statement.ClassGroup)
	if list[2].Speaker != "group-2" {
		t.Errorf("a group inscribed late goes first among those still to speak, got %v", list)
	}
}

func TestMove(t *testing.T) {
	list := []statement.Inscription{{ID: 1, Speaker: "A", Place: 1}, {ID: 2, Speaker: "B", Place: 2}, {ID: 3, Speaker: "C", Place: 3, Spoke: true}}
	for _, c := range []struct {
		id   int64
		to   int
		want string
		key  string
	}{
		{2, 1, "BAC", ""},
		{1, 9, "BCA", ""},
		{1, 0, "ABC", ""},
		{3, 1, "", "statement.error.already_spoke"},
		{9, 1, "", "error.not_found"},
	} {
		out, err := statement.Move(list, c.id, c.to)
		if c.key != "" {
			if !slices.Contains(keys(err), c.key) {
				t.Errorf("Move(%d,%d): %v, want %s", c.id, c.to, err, c.key)
			}
			continue
		}
		s := ""
		for i, in := range out {
			s += in.Speaker
			if in.Place != i+1 {
				t.Errorf("place %d", in.Place)
			}
		}
		if s != c.want {
			t.Errorf("Move(%d,%d) = %s, want %s", c.id, c.to, s, c.want)
		}
	}
}

func TestCanInscribe(t *testing.T) {
	fra := statement.Participant{Code: "FRA", Known: true}
	list := []statement.Inscription{{ID: 1, Speaker: "FRA", Class: statement.ClassMember}}
	cancelled := july
	cancelled.Status = meeting.Cancelled
	concluded := july
	concluded.Status = meeting.Concluded
	statesOnly := july
	statesOnly.Attendance = meeting.StatesOnly
	for _, c := range []struct {
		name  string
		m     meeting.Meeting
		list  []statement.Inscription
		p     statement.Participant
		reply bool
		want  []string
	}{
		{"first", july, nil, fra, false, nil},
		{"twice", july, list, fra, false, []string{"statement.error.inscribed_twice"}},
		{"a reply is a place of its own", july, list, fra, true, nil},
		{"cancelled and twice: both", cancelled, list, fra, false, []string{"statement.error.meeting_cancelled", "statement.error.inscribed_twice"}},
		{"concluded", concluded, nil, fra, false, []string{"statement.error.meeting_concluded"}},
		{"not a participant", july, nil, statement.Participant{Code: "XXX"}, false, []string{"statement.error.not_participant"}},
		{"unknown code", july, nil, statement.Participant{Code: "France", Known: true}, false, []string{"statement.error.speaker"}},
		{"the Chair is not inscribed", july, nil, statement.Participant{Code: "chair", Known: true}, false, []string{"statement.error.speaker"}},
		{"stakeholder at a States-only meeting", statesOnly, nil, statement.Participant{Code: "org-3", Known: true}, false, []string{"statement.error.states_only"}},
	} {
		if got := keys(statement.CanInscribe(c.m, c.list, c.p, c.reply)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestClassOf(t *testing.T) {
	for _, c := range []struct {
		p     statement.Participant
		reply bool
		want  statement.Class
	}{
		{statement.Participant{Code: "FRA"}, false, statement.ClassMember},
		{statement.Participant{Code: "PSE", Observer: true}, false, statement.ClassObserver},
		{statement.Participant{Code: "group-2"}, false, statement.ClassGroup},
		{statement.Participant{Code: "org-2"}, false, statement.ClassStakeholder},
		{statement.Participant{Code: "FRA"}, true, statement.ClassReply},
	} {
		if got := statement.ClassOf(c.p, c.reply); got != c.want {
			t.Errorf("ClassOf(%v, %v) = %s, want %s", c.p, c.reply, got, c.want)
		}
	}
}

func TestOnRecord(t *testing.T) {
	for at, want := range map[time.Time]bool{
		start.Add(10 * time.Minute):  true,  // formal opening
		start.Add(90 * time.Minute):  false, // the informal segment starts
		start.Add(5 * time.Hour):     false,
		start.Add(-10 * time.Minute): true, // no segment: the meeting itself
	} {
		if got := statement.OnRecord(july, at); got != want {
			t.Errorf("OnRecord(%s) = %v, want %v", at, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	irn := statement.Participant{Code: "IRN", Known: true}
	ok := statement.Statement{Speaker: "IRN", Kind: statement.Plain, At: start.Add(2 * time.Hour), Texts: concord.Text{"en": "Text"}}
	bad := statement.Statement{Speaker: "IRN", Kind: "speech", At: start.Add(-time.Hour), Texts: concord.Text{"xx": "Text"},
		Stances: []statement.Stance{{Subject: "motion:1", Position: decision.Position{Actor: "IRN", Kind: decision.PositionSupport}},
			{Subject: "item:GM-2026-1/item-5", Position: decision.Position{Actor: "USA", Kind: decision.PositionSupport}}}}
	for _, c := range []struct {
		name string
		s    statement.Statement
		p    statement.Participant
		want []string
	}{
		{"valid", ok, irn, nil},
		{"by the Chair", statement.Statement{Speaker: "chair", Kind: statement.Plain, At: ok.At, Document: 3}, statement.Participant{Code: "chair", Known: true}, nil},
		{"every problem", bad, statement.Participant{Code: "IRN"}, []string{"statement.error.not_participant", "statement.error.kind", "statement.error.at_outside",
			"statement.error.language", "statement.error.content", "statement.error.subject", "statement.error.position_actor"}},
		{"no time", statement.Statement{Speaker: "IRN", Kind: statement.Plain, Texts: concord.Text{"fr": "Texte"}}, irn, []string{"statement.error.at"}},
		{"on a topic", withStance(ok, statement.TopicSubject(3, "t2")), irn, nil},
		{"on a malformed topic", withStance(ok, "topic:3"), irn, []string{"statement.error.topic"}},
		{"on a topic with a bad id", withStance(ok, "topic:0/t1"), irn, []string{"statement.error.topic"}},
		{"on a topic of another form", withStance(ok, "topic:3/x2"), irn, []string{"statement.error.topic"}},
	} {
		if got := keys(c.s.Validate(july, c.p)); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// withStance is s carrying IRN's support on subject.
func withStance(s statement.Statement, subject string) statement.Statement {
	s.Stances = []statement.Stance{{Subject: subject, Position: decision.Position{Actor: "IRN", Kind: decision.PositionSupport}}}
	return s
}

func TestTopicSubject(t *testing.T) {
	for _, c := range []struct {
		ref   string
		round int64
		id    string
		ok    bool
	}{
		{"3/t2", 3, "t2", true},
		{"topic:12/t10", 12, "t10", true},
		{" 7/t1 ", 7, "t1", true},
		{"3", 0, "", false},
		{"0/t1", 0, "", false},
		{"3/t0", 0, "", false},
		{"3/T1", 0, "", false},
		{"-3/t1", 0, "", false},
		{"3/t1/x", 0, "", false},
		{"item:GM-2026-1/item-5", 0, "", false},
		{"99999999999999999999/t1", 0, "", false},
	} {
		round, id, ok := statement.ParseTopic(c.ref)
		if round != c.round || id != c.id || ok != c.ok {
			t.Errorf("%q: %d %q %v, want %d %q %v", c.ref, round, id, ok, c.round, c.id, c.ok)
		}
	}
	sub := statement.TopicSubject(3, "t2")
	if sub != "topic:3/t2" {
		t.Fatalf("subject %q", sub)
	}
	if r, id := (statement.Stance{Subject: sub}).Topic(); r != 3 || id != "t2" {
		t.Errorf("topic of %q: %d %q", sub, r, id)
	}
	if r, _ := (statement.Stance{Subject: statement.ItemSubject("GM-2026-1", "t2")}).Topic(); r != 0 {
		t.Errorf("an item subject names topic round %d", r)
	}
	if id := (statement.Stance{Subject: sub}).Decision(); id != 0 {
		t.Errorf("a topic subject names decision %d", id)
	}
}

func TestMarkSpoke(t *testing.T) {
	in := statement.Inscription{ID: 1, Speaker: "FRA"}
	got, err := in.MarkSpoke(july, start.Add(time.Hour), 3*time.Minute+400*time.Millisecond)
	if err != nil || !got.Spoke || got.Duration != 3*time.Minute {
		t.Fatalf("%+v %v", got, err)
	}
	if _, err := got.MarkSpoke(july, start, 0); !slices.Equal(keys(err), []string{"statement.error.already_spoke", "statement.error.duration"}) {
		t.Errorf("twice, no duration: %v", keys(err))
	}
}

func TestStanceDecision(t *testing.T) {
	if id := (statement.Stance{Subject: statement.DecisionSubject(42)}).Decision(); id != 42 {
		t.Errorf("decision %d", id)
	}
	if id := (statement.Stance{Subject: statement.ItemSubject("GM-2026-1", "item-5")}).Decision(); id != 0 {
		t.Errorf("item subject names decision %d", id)
	}
}

func TestWithdraw(t *testing.T) {
	at := time.Date(2026, 7, 21, 15, 0, 0, 0, time.UTC)
	s := statement.Statement{Speaker: "IRN", Stances: []statement.Stance{{Subject: "item:GM-2026-1/item-5"}}}
	if s.Positions() != 1 || !s.Live() {
		t.Fatalf("a standing statement counts its stances: %d", s.Positions())
	}
	w, err := s.Withdraw(at)
	if err != nil || w.Live() || w.Positions() != 0 || !w.Withdrawn.Equal(at) || len(w.Stances) != 1 {
		t.Fatalf("withdrawn: %+v %v", w, err)
	}
	if _, err := w.Withdraw(at.Add(time.Hour)); concord.ErrorCode(err) != concord.EConflict {
		t.Errorf("withdrawing twice: %v", err)
	}
}
