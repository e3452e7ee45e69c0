package web

import (
	"concord/cofacilitator"
	"net/http"
	"strings"

	"concord"
)

// The co-facilitator balance checker: anyone may test a proposed pair for a
// Dedicated Thematic Group against the pair rules of the Chair's proposal
// (two per DTG, one developed and one developing under the process's
// co-facilitator rule's classification scheme, different regional groups, gender parity where
// practicable), and read why each rule passes or fails. It stores nothing.
// The nominations, sets and appointments themselves are in
// cofacilitator_pages.go.

func (s *Server) cofacRoutes() []Route {
	return []Route{
		{"GET", "/cofacilitators", concord.ActRead, nil, "/cofacilitators", s.cofacIndex},
		{"GET", "/cofacilitators/check", concord.ActRead, nil, "/cofacilitators/check", s.cofacCheck},
		{"GET", "/cofacilitators/{dtg}", concord.ActRead, nil, "/cofacilitators/DTG-1", s.cofacBoard},
		// Nominating is a State's act (its delegate, or the Secretariat for
		// it); the service checks the State, so the Chair is refused there.
		{"POST", "/cofacilitators/nominations", concord.ActNominate, nil, "/cofacilitators/nominations", s.cofacNominate},
		{"POST", "/cofacilitators/nominations/{id}/withdraw", concord.ActNominate, nil, "/cofacilitators/nominations/1/withdraw", s.cofacWithdraw},
		{"POST", "/cofacilitators/sets", concord.ActProposeDecision, nil, "/cofacilitators/sets", s.cofacPropose},
		{"GET", "/cofacilitators/sets/{id}", concord.ActRead, nil, "/cofacilitators/sets/1", s.cofacSet},
	}
}

// cofacCheckView is the balance checker: the form, and the verdict of
// each pair rule once a pair is given.
//
// view of template "cofac_check"
type cofacCheckView struct {
	States   []stateRow
	Scheme   concord.ClassificationScheme
	Checks   []cofacilitator.Check
	Balanced bool
}

func (s *Server) cofacCheck(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	states, err := s.DB.ListStates(ctx)
	if err != nil {
		return err
	}
	scheme, err := s.CoFac.Scheme(ctx)
	if err != nil {
		return err
	}
	rows := make([]stateRow, len(states))
	for i, st := range states {
		rows[i] = stateRow{State: st}
	}
	lang := LangFrom(ctx)
	sortStates(rows, lang)
	q := r.URL.Query()
	p := s.newPage(r, "cofac.title", nil)
	data := cofacCheckView{States: rows, Scheme: scheme}
	status := http.StatusOK
	if q.Get("dtg") != "" || q.Get("person1") != "" {
		dtg := strings.TrimSpace(q.Get("dtg"))
		var pair []cofacilitator.Nomination
		for _, i := range []string{"1", "2"} {
			n := cofacilitator.Nomination{Person: strings.TrimSpace(q.Get("person" + i)), State: strings.ToUpper(q.Get("state" + i)),
				Gender: q.Get("gender" + i), DTG: dtg}
			for _, e := range strings.Split(q.Get("expertise"+i), ",") {
				if e = strings.TrimSpace(e); e != "" {
					n.Expertise = append(n.Expertise, e)
				}
			}
			pair = append(pair, n)
		}
		_, checks, err := s.CoFac.Check(ctx, dtg, pair)
		if err != nil {
			de := AsDomain(err)
			if de.Code != concord.EInvalid {
				return err
			}
			// "pair[1].person" -> the form's "person2".
			c := *de
			if strings.HasPrefix(c.Field, "pair[") && len(c.Field) > 8 {
				c.Field = c.Field[8:] + string(rune('1'+c.Field[5]-'0'))
			}
			p.Err = &c
			status = http.StatusUnprocessableEntity
		} else {
			data.Checks = checks
			data.Balanced = cofacilitator.Balanced(checks)
		}
	}
	p.Form = q
	p.Data = data
	return s.render(w, r, status, "cofac_check", p)
}
