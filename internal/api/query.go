package api

import (
	"encoding/json"
	"net/http"
	"sync"
)

// QueryParams returns the query parameters that the GET route r matches
// declares in openapi.json; the web layer keeps only those in the request
// and in cache keys, so a response depends on nothing else.
func (a *API) QueryParams(r *http.Request) []string {
	declared := declaredQuery()
	_, pattern := declared.mux.Handler(r)
	return declared.params[pattern]
}

type queryTable struct {
	mux    *http.ServeMux
	params map[string][]string // by "GET /api/v1/..." pattern
}

// declaredQuery reads the query parameters of every GET operation in the
// OpenAPI description once.
var declaredQuery = sync.OnceValue(func() queryTable {
	type param struct {
		Ref  string `json:"$ref"`
		Name string `json:"name"`
		In   string `json:"in"`
	}
	var doc struct {
		Paths map[string]struct {
			Parameters []param `json:"parameters"`
			Get        *struct {
				Parameters []param `json:"parameters"`
			} `json:"get"`
		} `json:"paths"`
		Components struct {
			Parameters map[string]param `json:"parameters"`
		} `json:"components"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		panic("openapi.json: " + err.Error()) // embedded and tested: cannot happen
	}
	t := queryTable{mux: http.NewServeMux(), params: map[string][]string{}}
	const ref = "#/components/parameters/"
	for path, item := range doc.Paths {
		if item.Get == nil {
			continue
		}
		pattern := "GET /api/v1" + path
		var names []string
		for _, p := range append(item.Parameters, item.Get.Parameters...) {
			if len(p.Ref) > len(ref) {
				p = doc.Components.Parameters[p.Ref[len(ref):]]
			}
			if p.In == "query" {
				names = append(names, p.Name)
			}
		}
		t.params[pattern] = names
		t.mux.HandleFunc(pattern, func(http.ResponseWriter, *http.Request) {})
	}
	return t
})
