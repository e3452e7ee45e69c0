package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"concord"
	"concord/internal/auth"
	"concord/internal/delegations"
	"concord/internal/store"
)

// delegationRoutes are the API twins of a State's delegation page and of
// the Secretariat's appointments page.
func (a *API) delegationRoutes() []Route {
	return []Route{
		{"GET", "/delegations/{iso3}", concord.ActManageDelegation, stateTarget, "/delegations/FRA", a.getDelegation},
		{"POST", "/delegations/{iso3}/delegates", concord.ActManageDelegation, stateTarget, "/delegations/FRA/delegates", a.inviteDelegate},
		{"DELETE", "/delegations/{iso3}/delegates/{user}", concord.ActManageDelegation, stateTarget, "/delegations/FRA/delegates/2", a.removeDelegate},
		{"PUT", "/delegations/{iso3}/delegates/{user}/speaker", concord.ActManageDelegation, stateTarget, "/delegations/FRA/delegates/2/speaker", a.setSpeaker},
		{"GET", "/appointments", concord.ActAppoint, nil, "/appointments", a.listAppointments},
		{"POST", "/appointments", concord.ActAppoint, nil, "/appointments", a.appoint},
		{"POST", "/appointments/{id}/end", concord.ActAppoint, nil, "/appointments/1/end", a.endAppointment},
	}
}

// DelegateJSON is a delegate of a State as its delegation managers see it.
type DelegateJSON struct {
	ID            int64      `json:"id"`
	Username      string     `json:"username"`
	Name          string     `json:"name"`
	Email         string     `json:"email"`
	EmailVerified bool       `json:"email_verified"`
	MaySpeak      bool       `json:"may_speak"`
	Manager       bool       `json:"manager"`
	Status        string     `json:"status"` // active, invited, removed
	InviteExpires *time.Time `json:"invite_expires_at,omitempty"`
}

// MissionJSON is a State's mission: its delegates and managers.
type MissionJSON struct {
	State     string         `json:"state"`
	Managers  []string       `json:"managers"`
	Delegates []DelegateJSON `json:"delegates"`
}

// DelegateRequest invites a delegate.
type DelegateRequest struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	MaySpeak bool   `json:"may_speak"`
}

// SpeakerRequest says whether a delegate may speak for the State.
type SpeakerRequest struct {
	MaySpeak *bool `json:"may_speak"`
}

// AppointmentJSON is a dated appointment.
type AppointmentJSON struct {
	ID       int64      `json:"id"`
	Username string     `json:"username"`
	Post     string     `json:"post"`
	Scope    string     `json:"scope"`
	From     time.Time  `json:"starts_at"`
	Until    *time.Time `json:"ends_at,omitempty"`
	InForce  bool       `json:"in_force"`
}

// AppointmentListJSON lists appointments, newest first (a few hundred at
// most over a process's life: one list, no pages).
type AppointmentListJSON struct {
	Items []AppointmentJSON `json:"items"`
}

// AppointmentRequest makes an appointment.
type AppointmentRequest struct {
	Username string     `json:"username"`
	Post     string     `json:"post"`
	Scope    string     `json:"scope"`
	From     time.Time  `json:"starts_at"`
	Until    *time.Time `json:"ends_at"`
}

func delegateJSON(d store.Delegate, iso3 string, at time.Time) DelegateJSON {
	d.At = at
	j := DelegateJSON{ID: d.ID, Username: d.Username, Name: d.Name, Email: d.Email, EmailVerified: d.EmailVerified,
		MaySpeak: !d.ReadOnly, Manager: d.ManagesDelegation(iso3), Status: "active"}
	switch {
	case d.Disabled:
		j.Status = "removed"
	case d.Invited:
		j.Status, j.InviteExpires = "invited", timeOrNull(d.InviteExpires)
	}
	return j
}

func appointmentJSON(h store.Held, now time.Time) AppointmentJSON {
	return AppointmentJSON{ID: h.ID, Username: h.User.Username, Post: string(h.Post), Scope: h.Scope, From: h.From.UTC(),
		Until: timeOrNull(h.Until), InForce: h.InForce(now)}
}

func iso3Of(r *http.Request) string { return strings.ToUpper(r.PathValue("iso3")) }

func (a *API) getDelegation(r *http.Request) (int, any, error) {
	d, err := a.Delegations.View(r.Context(), auth.UserFrom(r.Context()), iso3Of(r))
	if err != nil {
		return 0, nil, err
	}
	out := MissionJSON{State: d.State.ISO3, Managers: []string{}, Delegates: []DelegateJSON{}}
	for _, m := range d.Managers {
		out.Managers = append(out.Managers, m.Username)
	}
	for _, x := range d.Delegates {
		out.Delegates = append(out.Delegates, delegateJSON(x, d.State.ISO3, d.At))
	}
	return http.StatusOK, out, nil
}

func (a *API) inviteDelegate(r *http.Request) (int, any, error) {
	var in DelegateRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u, err := a.Delegations.Invite(r.Context(), auth.UserFrom(r.Context()), iso3Of(r), delegations.Invitation{
		Username: in.Username, Name: in.Name, Email: in.Email, MaySpeak: in.MaySpeak, Lang: lang(r)})
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, delegateJSON(store.Delegate{User: u, Invited: true}, u.State, time.Time{}), nil
}

func pathUser(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("user"), 10, 64)
	if err != nil || id <= 0 {
		return 0, concord.Errorf(concord.EInvalid, "user", "error.id", "user must be a positive integer")
	}
	return id, nil
}

func (a *API) removeDelegate(r *http.Request) (int, any, error) {
	id, err := pathUser(r)
	if err != nil {
		return 0, nil, err
	}
	if err := a.Delegations.Remove(r.Context(), auth.UserFrom(r.Context()), iso3Of(r), id); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) setSpeaker(r *http.Request) (int, any, error) {
	id, err := pathUser(r)
	if err != nil {
		return 0, nil, err
	}
	var in SpeakerRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	if in.MaySpeak == nil {
		return 0, nil, concord.Errorf(concord.EInvalid, "may_speak", "error.required", "required")
	}
	if err := a.Delegations.SetSpeaker(r.Context(), auth.UserFrom(r.Context()), iso3Of(r), id, *in.MaySpeak); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) listAppointments(r *http.Request) (int, any, error) {
	list, err := a.Delegations.Appointments(r.Context(), auth.UserFrom(r.Context()), r.URL.Query().Get("past") == "true")
	if err != nil {
		return 0, nil, err
	}
	now := a.DB.Now()
	out := AppointmentListJSON{Items: []AppointmentJSON{}}
	for _, h := range list {
		out.Items = append(out.Items, appointmentJSON(h, now))
	}
	return http.StatusOK, out, nil
}

func (a *API) appoint(r *http.Request) (int, any, error) {
	var in AppointmentRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	ap := delegations.Appointing{Username: in.Username, Post: concord.Post(in.Post), Scope: in.Scope, From: in.From}
	if in.Until != nil {
		ap.Until = *in.Until
	}
	x, err := a.Delegations.Appoint(r.Context(), auth.UserFrom(r.Context()), ap)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, appointmentJSON(store.Held{Appointment: x, User: concord.User{Username: strings.TrimSpace(in.Username)}}, a.DB.Now()), nil
}

func (a *API) endAppointment(r *http.Request) (int, any, error) {
	id, err := pathID(r)
	if err != nil {
		return 0, nil, err
	}
	h, err := a.Delegations.End(r.Context(), auth.UserFrom(r.Context()), id)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, appointmentJSON(h, a.DB.Now()), nil
}
