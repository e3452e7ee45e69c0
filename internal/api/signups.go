package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/signup"
	"concord/internal/store"
)

// signupRoutes are the API twins of the sign-up page, the Secretariat's
// verification queue and an organisation's members.
func (a *API) signupRoutes() []Route {
	return []Route{
		{"POST", "/signup", concord.ActRead, nil, "/signup", a.signUp},
		{"GET", "/signups", concord.ActManageUsers, nil, "/signups", a.listSignups},
		{"POST", "/signups/{id}/verify", concord.ActManageUsers, nil, "/signups/1/verify", a.verifySignup},
		{"POST", "/signups/{id}/reject", concord.ActManageUsers, nil, "/signups/1/reject", a.rejectSignup},
		{"GET", "/organizations/{id}/members", concord.ActEditOrg, orgTarget, "/organizations/1/members", a.listMembers},
		{"POST", "/organizations/{id}/members", concord.ActEditOrg, orgTarget, "/organizations/1/members", a.inviteMember},
		{"DELETE", "/organizations/{id}/members/{user}", concord.ActEditOrg, orgTarget, "/organizations/1/members/2", a.removeMember},
	}
}

// SignupRequest is an organisation signing up with its focal point.
// ConfirmDuplicate signs up even when registered organisations look the
// same (a 409 listing them otherwise); they are recorded for the
// Secretariat.
type SignupRequest struct {
	Names            map[string]string `json:"names"`
	Acronym          string            `json:"acronym"`
	Type             string            `json:"type"`
	Country          string            `json:"country"`
	Website          string            `json:"website"`
	ECOSOCID         string            `json:"ecosoc_id"`
	Name             string            `json:"name"`
	Username         string            `json:"username"`
	Email            string            `json:"email"`
	Password         string            `json:"password"`
	ConfirmDuplicate bool              `json:"confirm_duplicate"`
}

// SignupJSON is a sign-up with its evidence.
type SignupJSON struct {
	Organization OrgJSON         `json:"organization"`
	FocalPoint   UserJSON        `json:"focal_point"`
	Status       string          `json:"status"`
	ECOSOCClaim  *string         `json:"ecosoc_claim"`
	Duplicates   []CandidateJSON `json:"duplicates"`
	Reason       *string         `json:"reason"`
	Created      time.Time       `json:"created_at"`
	Decided      *time.Time      `json:"decided_at"`
}

// RejectRequest gives the reason for rejecting a sign-up.
type RejectRequest struct {
	Reason string `json:"reason"`
}

// MemberRequest invites a colleague to an organisation.
type MemberRequest struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

func signupJSON(e signup.Evidence) SignupJSON {
	j := SignupJSON{Organization: orgJSON(e.Org), FocalPoint: userJSON(e.User), Status: e.Status, ECOSOCClaim: strPtr(e.ECOSOCClaim),
		Duplicates: []CandidateJSON{}, Reason: strPtr(e.Reason), Created: e.Created.UTC(), Decided: timeOrNull(e.Decided)}
	for _, c := range e.Duplicates {
		j.Duplicates = append(j.Duplicates, candidateJSON(c))
	}
	return j
}

func candidateJSON(c concord.Organization) CandidateJSON {
	return CandidateJSON{ID: c.ID, Kind: c.Kind, Names: c.Names, Acronym: c.Acronym, Website: c.Website}
}

// duplicates is the 409 answer that lists likely duplicates.
func (a *API) duplicates(r *http.Request, de *store.DuplicatesError) (int, any, error) {
	body := DuplicatesBody{Error: ErrorDetail{Code: concord.EConflict, Field: "names", Message: a.Cat.T(lang(r), "error.org_duplicate", nil)}, Candidates: []CandidateJSON{}}
	for _, c := range de.Candidates {
		body.Candidates = append(body.Candidates, candidateJSON(c))
	}
	return http.StatusConflict, body, nil
}

func (a *API) signUp(r *http.Request) (int, any, error) {
	var in SignupRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	app := signup.Application{Org: concord.Organization{Names: concord.Text{}, Acronym: strings.TrimSpace(in.Acronym), Type: in.Type,
		Country: strings.ToUpper(strings.TrimSpace(in.Country)), Website: strings.TrimSpace(in.Website)},
		ECOSOCClaim: in.ECOSOCID, Name: in.Name, Username: in.Username, Email: in.Email, Password: in.Password,
		ConfirmDuplicate: in.ConfirmDuplicate, Lang: lang(r)}
	for l, n := range in.Names {
		if n = strings.TrimSpace(n); n != "" {
			app.Org.Names[l] = n
		}
	}
	s, err := a.Signup.SignUp(r.Context(), app, auth.AddrOf(r))
	if de, ok := errors.AsType[*store.DuplicatesError](err); ok {
		return a.duplicates(r, de)
	}
	if err != nil {
		return 0, nil, err
	}
	ev := signup.Evidence{Signup: s}
	for _, id := range s.Duplicates {
		if o, err := a.DB.GetOrganization(r.Context(), id); err == nil {
			ev.Duplicates = append(ev.Duplicates, o)
		}
	}
	return http.StatusCreated, signupJSON(ev), nil
}

func (a *API) listSignups(r *http.Request) (int, any, error) {
	status := r.URL.Query().Get("status")
	switch status {
	case "", store.SignupPending, store.SignupVerified, store.SignupRejected:
	default:
		return 0, nil, concord.Errorf(concord.EInvalid, "status", "error.signup_status", "unknown status %q", status)
	}
	limit, offset, err := page(r.URL.Query())
	if err != nil {
		return 0, nil, err
	}
	list, total, err := a.Signup.Queue(r.Context(), status, limit, offset)
	if err != nil {
		return 0, nil, err
	}
	out := List[SignupJSON]{Items: []SignupJSON{}, Total: total, Limit: limit, Offset: offset}
	for _, e := range list {
		out.Items = append(out.Items, signupJSON(e))
	}
	return http.StatusOK, out, nil
}

func (a *API) verifySignup(r *http.Request) (int, any, error) { return a.decideSignup(r, true, "") }

func (a *API) rejectSignup(r *http.Request) (int, any, error) {
	var in RejectRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	return a.decideSignup(r, false, in.Reason)
}

func (a *API) decideSignup(r *http.Request, verify bool, reason string) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	s, err := a.Signup.Decide(r.Context(), auth.UserFrom(r.Context()), id, verify, reason)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, signupJSON(signup.Evidence{Signup: s}), nil
}

func (a *API) listMembers(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	list, err := a.Signup.Members(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	out := UserListJSON{Items: []UserJSON{}}
	for _, u := range list {
		out.Items = append(out.Items, userJSON(u))
	}
	return http.StatusOK, out, nil
}

func (a *API) inviteMember(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	var in MemberRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u, err := a.Signup.Invite(r.Context(), auth.UserFrom(r.Context()), id, in.Username, in.Name, in.Email, lang(r))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, userJSON(u), nil
}

func (a *API) removeMember(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	user, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || user <= 0 {
		return 0, nil, concord.Errorf(concord.EInvalid, "user", "error.id", "user must be a positive integer")
	}
	if err := a.Signup.Remove(r.Context(), auth.UserFrom(r.Context()), id, user); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
