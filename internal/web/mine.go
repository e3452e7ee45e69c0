package web

import (
	"net/http"

	"concord"
	"concord/internal/home"
)

// The signed-in person's home page (/{lang}/home): what is waiting for them
// and by when, per role (package home); sign-in lands there. The public
// home page (/{lang}/) stays the same for everyone, so it stays cached.

// mineView is the home page of a signed-in person.
type mineView struct {
	Waiting  []home.Item // what asks something of the reader, earliest deadline first
	Meetings []home.Item // meetings coming up
}

// homeService lists what is waiting for people from the server's store.
func (s *Server) homeService() *home.Service {
	return &home.Service{DB: s.DB, Process: concord.DefaultProcessCode}
}

// mine shows what is waiting for the signed-in person (the twin of GET /api/v1/me/waiting).
func (s *Server) mine(w http.ResponseWriter, r *http.Request) error {
	items, err := s.homeService().Waiting(r.Context(), UserFrom(r.Context()), s.DB.Now())
	if err != nil {
		return err
	}
	var v mineView
	for _, it := range items {
		if it.Kind == home.KindMeeting {
			v.Meetings = append(v.Meetings, it)
		} else {
			v.Waiting = append(v.Waiting, it)
		}
	}
	return s.render(w, r, http.StatusOK, "mine", s.newPage(r, "mine.heading", v))
}
