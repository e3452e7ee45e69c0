package web

// The rules of procedure in force: the four contested points (agenda
// adoption, co-facilitators, DTG topics, briefers), each with its version in
// force, its history, and for the Secretariat a form for a new version.

import (
	"concord/agenda"
	"concord/briefer"
	"concord/cofacilitator"
	"concord/decision"
	"concord/fund"
	"concord/rule"
	"concord/topic"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"concord"
)

func (s *Server) ruleRoutes() []Route {
	return []Route{
		{"GET", "/rules", concord.ActRead, nil, "/rules", s.rulesPage},
		{"GET", "/rules/{code}/new", concord.ActManageRules, nil, "/rules/briefers/new", s.ruleForm},
		{"POST", "/rules/{code}", concord.ActManageRules, nil, "/rules/briefers", s.ruleAdd},
	}
}

// ruleView is one version as the page shows it.
type ruleView struct {
	V       rule.Version
	Terms   []rule.Term
	Changed map[string]bool // labels whose value differs from the previous version
	Status  string          // in_force, scheduled, superseded
}

// ruleSection is one rule: the version in force at the page's instant and
// the history, newest first.
type ruleSection struct {
	Code    string
	InForce *ruleView
	History []ruleView
	Others  []ruleView // History without the version in force
}

// rulesView is the rules of procedure as they stand at At.
//
// view of template "rules"
type rulesView struct {
	Sections []ruleSection
	At       time.Time
	Past     bool // At is a day asked for, not now
}

func (s *Server) rulesPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	vs, err := s.Decide.Rules(ctx)
	if err != nil {
		return err
	}
	now := s.DB.Now()
	at := now
	// ?at=YYYY-MM-DD shows the rules as they stood at the start of that day
	// in the venue's zone, the zone of every time on the pages: what applied
	// when a past decision was taken.
	if q := r.URL.Query().Get("at"); q != "" {
		loc, err := s.Decide.Location(ctx)
		if err != nil {
			return err
		}
		t, err := concord.LocalToUTC(q, "00:00", loc)
		if err != nil {
			return concord.Errorf(concord.EInvalid, "at", "error.date", "the date must be YYYY-MM-DD")
		}
		at = t
	}
	p := s.newPage(r, "procrule.title", rulesView{Sections: ruleSections(vs, at, now), At: at, Past: r.URL.Query().Get("at") != ""})
	return s.render(w, r, http.StatusOK, "rules", p)
}

func ruleSections(vs []rule.Version, at, now time.Time) []ruleSection {
	out := make([]ruleSection, 0, len(rule.Codes()))
	for _, code := range rule.Codes() {
		sec := ruleSection{Code: code}
		hist := rule.History(vs, code)
		cur, ok := rule.InForce(vs, code, at)
		live, _ := rule.InForce(vs, code, now)
		for i, v := range hist {
			rv := ruleView{V: v, Terms: v.Terms(), Status: "superseded"}
			switch {
			case v.Effective.After(now):
				rv.Status = "scheduled"
			case v.Version == live.Version:
				rv.Status = "in_force"
			}
			if i+1 < len(hist) {
				rv.Changed = changedTerms(hist[i+1].Terms(), rv.Terms)
			}
			sec.History = append(sec.History, rv)
		}
		// InForce points into History: take the address once the slice has
		// stopped growing.
		for i := range sec.History {
			if ok && sec.History[i].V.Version == cur.Version {
				sec.InForce = &sec.History[i]
			} else {
				sec.Others = append(sec.Others, sec.History[i])
			}
		}
		out = append(out, sec)
	}
	return out
}

// changedTerms marks the labels whose value differs between two versions.
func changedTerms(prev, cur []rule.Term) map[string]bool {
	was := map[string]rule.Term{}
	for _, t := range prev {
		was[t.Label] = t
	}
	out := map[string]bool{}
	for _, t := range cur {
		p, ok := was[t.Label]
		if !ok || p.Value != t.Value || p.Raw != t.Raw || !maps.Equal(p.Args, t.Args) {
			out[t.Label] = true
		}
	}
	return out
}

// ruleField is one control of the new-version form.
type ruleField struct {
	Name    string
	Label   string // catalogue key
	Kind    string // select, check, number
	Options []ruleOption
	Max     int // for numbers
}

// ruleOption is a select's option: the value and its catalogue key.
type ruleOption struct{ Value, Label string }

func options[T ~string](prefix string, vals []T) []ruleOption {
	out := make([]ruleOption, len(vals))
	for i, v := range vals {
		out[i] = ruleOption{string(v), prefix + string(v)}
	}
	return out
}

var levelOptions = options("level.", []cofacilitator.Level{cofacilitator.LevelOff, cofacilitator.LevelWarning, cofacilitator.LevelError})

// ruleFields are the settings of each rule, in form order.
func ruleFields(code string) []ruleField {
	period := ruleField{Name: "period_hours", Label: "procrule.period_hours", Kind: "number", Max: 24 * 90}
	switch code {
	case agenda.RuleCode:
		var mods []decision.Modality
		for _, m := range decision.Modalities {
			if m != decision.ModalityAdvisorySurvey {
				mods = append(mods, m)
			}
		}
		return []ruleField{
			{Name: "modality", Label: "procrule.modality", Kind: "select", Options: options("modality.", mods)},
			period,
			{Name: "proceed_informally", Label: "procrule.proceed_informally", Kind: "check"},
			{Name: "all_languages", Label: "procrule.all_languages", Kind: "check"},
		}
	case cofacilitator.RuleCode:
		return []ruleField{
			{Name: "appointment", Label: "procrule.appointment", Kind: "select", Options: options("appointment.", cofacilitator.Appointments)},
			period,
			{Name: "per_dtg", Label: "procrule.per_dtg", Kind: "number", Max: 4},
			{Name: "developed_developing", Label: "procrule.developed_developing", Kind: "check"},
			{Name: "scheme", Label: "procrule.scheme", Kind: "select", Options: []ruleOption{{concord.SchemeUNCTAD, "procrule.scheme." + concord.SchemeUNCTAD}, {concord.SchemeSelfDeclared, "procrule.scheme." + concord.SchemeSelfDeclared}}},
			{Name: "distinct_groups", Label: "procrule.distinct_groups", Kind: "check"},
			{Name: "gender_parity", Label: "procrule.gender_parity", Kind: "select", Options: levelOptions},
			{Name: "expertise", Label: "procrule.expertise", Kind: "select", Options: levelOptions},
			{Name: "rotation_terms", Label: "procrule.rotation", Kind: "number", Max: 10},
		}
	case topic.RuleCode:
		var after []decision.Modality
		for _, m := range decision.Modalities {
			if m != decision.ModalityAdvisorySurvey {
				after = append(after, m)
			}
		}
		return []ruleField{
			{Name: "selection", Label: "procrule.selection", Kind: "select", Options: options("selection.", topic.Selections)},
			{Name: "method", Label: "procrule.method", Kind: "select", Options: options("method.", []topic.Method{topic.Ranking, topic.Scores})},
			{Name: "max_score", Label: "procrule.max_score", Kind: "number", Max: 100},
			period,
			{Name: "regional_weighting", Label: "procrule.regional_weighting", Kind: "check"},
			{Name: "after_survey", Label: "procrule.after_survey", Kind: "select", Options: options("modality.", after)},
			{Name: "slots", Label: "procrule.slots", Kind: "number", Max: 10},
		}
	case briefer.RuleCode:
		return []ruleField{
			{Name: "confirmation", Label: "procrule.confirmation", Kind: "select", Options: options("confirmation.", briefer.Confirmations)},
			period,
		}
	case fund.RuleCode:
		return []ruleField{
			{Name: "eligibility", Label: "procrule.eligibility", Kind: "select", Options: options("fund.eligibility.", fund.Eligibilities)},
			{Name: "scheme", Label: "procrule.scheme", Kind: "select", Options: []ruleOption{{concord.SchemeUNCTAD, "procrule.scheme." + concord.SchemeUNCTAD}, {concord.SchemeSelfDeclared, "procrule.scheme." + concord.SchemeSelfDeclared}}},
		}
	}
	return nil
}

func check(b bool) []string {
	if b {
		return []string{"on"}
	}
	return nil
}

func itoa(n int) []string { return []string{strconv.Itoa(n)} }

// ruleValues fills the form from a version.
func ruleValues(v rule.Version) url.Values {
	f := url.Values{}
	switch p := v.Policy.(type) {
	case *agenda.Policy:
		f["modality"], f["period_hours"] = []string{string(p.Modality)}, itoa(int(p.Period/time.Hour))
		f["proceed_informally"], f["all_languages"] = check(p.ProceedInformally), check(p.RequireAllLanguages)
	case *cofacilitator.Policy:
		f["appointment"], f["period_hours"], f["per_dtg"] = []string{string(p.Appointment)}, itoa(int(p.Period/time.Hour)), itoa(p.PerDTG)
		f["developed_developing"], f["scheme"], f["distinct_groups"] = check(p.DevelopedDeveloping), []string{p.Scheme}, check(p.DistinctRegionalGroups)
		f["gender_parity"], f["expertise"], f["rotation_terms"] = []string{string(p.GenderParity)}, []string{string(p.Expertise)}, itoa(p.RotationTerms)
	case *topic.Policy:
		f["selection"], f["method"], f["max_score"] = []string{string(p.Selection)}, []string{string(p.Method)}, itoa(p.MaxScore)
		f["period_hours"], f["regional_weighting"] = itoa(int(p.Period/time.Hour)), check(p.RegionalWeighting)
		f["after_survey"], f["slots"] = []string{string(p.AfterSurvey)}, itoa(p.Slots)
	case *briefer.Policy:
		f["confirmation"], f["period_hours"] = []string{string(p.Confirmation)}, itoa(int(p.Period/time.Hour))
	case *fund.Policy:
		f["eligibility"], f["scheme"] = []string{string(p.Eligibility)}, []string{p.Scheme}
	}
	f.Set("note", "")
	return f
}

// ruleFromForm builds the next version of base's rule from the form,
// checking numbers and choices here (the domain validates the whole rule).
// The effective day is read in loc, the venue's zone the pages show times in.
func ruleFromForm(base rule.Version, f url.Values, lang string, loc *time.Location) (rule.Version, error) {
	v := rule.Version{Code: base.Code}
	if n := strings.TrimSpace(f.Get("note")); n != "" {
		// The note is written in the page's language; translations follow
		// through the API.
		v.Note = concord.Text{lang: n}
	}
	num := map[string]int{}
	var errs concord.Errors // every field's problem, not the first only
	for _, fd := range ruleFields(base.Code) {
		val := strings.TrimSpace(f.Get(fd.Name))
		switch fd.Kind {
		case "number":
			n, err := strconv.Atoi(val)
			if err != nil || n < 0 || n > fd.Max {
				errs.Add(concord.Errorf(concord.EInvalid, fd.Name, "procrule.error.number", "%s must be a whole number from 0 to %d", fd.Name, fd.Max))
			}
			num[fd.Name] = n
		case "select":
			if !slices.ContainsFunc(fd.Options, func(o ruleOption) bool { return o.Value == val }) {
				errs.Add(concord.Errorf(concord.EInvalid, fd.Name, "procrule.error.choice", "%q is not one of the choices for %s", val, fd.Name))
			}
		}
	}
	on := func(name string) bool { return f.Get(name) == "on" }
	period := time.Duration(num["period_hours"]) * time.Hour
	switch base := base.Policy.(type) {
	case *agenda.Policy:
		p := *base
		p.Modality, p.Period, p.ProceedInformally, p.RequireAllLanguages = decision.Modality(f.Get("modality")), period, on("proceed_informally"), on("all_languages")
		v.Policy = &p
	case *cofacilitator.Policy:
		p := *base
		p.Appointment, p.Period, p.PerDTG = cofacilitator.Appointment(f.Get("appointment")), period, num["per_dtg"]
		p.DevelopedDeveloping, p.Scheme, p.DistinctRegionalGroups = on("developed_developing"), f.Get("scheme"), on("distinct_groups")
		p.GenderParity, p.Expertise = cofacilitator.Level(f.Get("gender_parity")), cofacilitator.Level(f.Get("expertise"))
		p.RotationTerms = num["rotation_terms"]
		v.Policy = &p
	case *topic.Policy:
		p := *base
		p.Selection, p.Method, p.MaxScore = topic.Selection(f.Get("selection")), topic.Method(f.Get("method")), num["max_score"]
		p.Period, p.RegionalWeighting, p.AfterSurvey, p.Slots = period, on("regional_weighting"), decision.Modality(f.Get("after_survey")), num["slots"]
		v.Policy = &p
	case *briefer.Policy:
		p := *base
		p.Confirmation, p.Period = briefer.Confirmation(f.Get("confirmation")), period
		v.Policy = &p
	case *fund.Policy:
		p := *base
		p.Eligibility, p.Scheme = fund.Eligibility(f.Get("eligibility")), f.Get("scheme")
		v.Policy = &p
	}
	if d := strings.TrimSpace(f.Get("from")); d != "" {
		// The day starts at midnight where the meetings are, as the form says.
		t, err := concord.LocalToUTC(d, "00:00", loc)
		if err != nil {
			errs.Add(concord.Errorf(concord.EInvalid, "from", "error.date", "%v", err))
		}
		v.Effective = t
	}
	return v, errs.Err()
}

func (s *Server) ruleCode(r *http.Request) (rule.Version, error) {
	code := r.PathValue("code")
	if !slices.Contains(rule.Codes(), code) {
		return rule.Version{}, concord.ErrNotFound
	}
	return s.Decide.RuleAt(r.Context(), code, s.DB.Now())
}

func (s *Server) ruleForm(w http.ResponseWriter, r *http.Request) error {
	base, err := s.ruleCode(r)
	if err != nil {
		return err
	}
	return s.showRuleForm(w, r, http.StatusOK, base, ruleValues(base), nil)
}

// ruleFormView is the form for a new version of a rule.
//
// view of template "rule_form"
type ruleFormView struct {
	Base   rule.Version // the version in force, the new one starts from
	Terms  []rule.Term
	Fields []ruleField
}

func (s *Server) showRuleForm(w http.ResponseWriter, r *http.Request, status int, base rule.Version, form url.Values, perr error) error {
	r = fresh(w, r)
	p := s.newPage(r, "procrule.new_version", ruleFormView{Base: base, Terms: base.Terms(), Fields: ruleFields(base.Code)})
	p.Form = form
	if perr != nil {
		p.SetErr(perr)
	}
	return s.render(w, r, status, "rule_form", p)
}

func (s *Server) ruleAdd(w http.ResponseWriter, r *http.Request) error {
	base, err := s.ruleCode(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return err
	}
	f := r.PostForm
	loc, err := s.Decide.Location(r.Context())
	if err != nil {
		return err
	}
	v, err := ruleFromForm(base, f, LangFrom(r.Context()), loc)
	if err == nil {
		_, err = s.Decide.AddRule(r.Context(), UserFrom(r.Context()), v)
	}
	if de := formError(err); de != nil {
		return s.showRuleForm(w, r, Status(de.Code), base, f, err)
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/"+LangFrom(r.Context())+"/rules?saved=1#rule-"+base.Code, http.StatusSeeOther)
	return nil
}
