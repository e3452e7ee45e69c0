package api

import (
	"net/http"

	"concord"
	"concord/internal/auth"
	"concord/internal/privacy"
)

// personalRoutes are the API twins of the pages of one's own data: the
// export, and deleting an account (one's own, or the Secretariat for
// someone).
func (a *API) personalRoutes() []Route {
	return []Route{
		{"GET", "/me/export", concord.ActAccount, nil, "/me/export", a.myExport},
		{"POST", "/me/erase", concord.ActAccount, nil, "/me/erase", a.eraseMe},
		{"POST", "/users/{username}/erase", concord.ActManageUsers, nil, "/users/admin/erase", a.eraseUser},
	}
}

// EraseRequest confirms a deletion with the password of the account that
// asks for it.
type EraseRequest struct {
	Password string `json:"password"`
}

func (a *API) privacy() *privacy.Service { return &privacy.Service{DB: a.DB} }

func (a *API) myExport(r *http.Request) (int, any, error) {
	d, err := a.privacy().Export(r.Context(), auth.UserFrom(r.Context()))
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, privacy.ExportJSON(d, a.DB.Now()), nil
}

func (a *API) eraseMe(r *http.Request) (int, any, error) {
	var in EraseRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	u := auth.UserFrom(r.Context())
	if _, err := a.privacy().Erase(r.Context(), u, u.ID, in.Password); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}

func (a *API) eraseUser(r *http.Request) (int, any, error) {
	var in EraseRequest
	if err := decode(r, &in); err != nil {
		return 0, nil, err
	}
	t, err := a.DB.Read(r.Context()).UserByName(r.PathValue("username"))
	if err != nil {
		return 0, nil, err
	}
	if _, err := a.privacy().Erase(r.Context(), auth.UserFrom(r.Context()), t.ID, in.Password); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
