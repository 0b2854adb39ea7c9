package httpapi

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"

	"entitle/engine"
	"entitle/engine/household"
	"entitle/engine/report"
	"entitle/engine/rulepack"
)

// The caseworker's page: plain HTML, CSS and JavaScript, embedded, so it
// works with no network beyond the server itself.
//
//go:embed web
var webFS embed.FS

func webHandler() http.Handler {
	sub, _ := fs.Sub(webFS, "web")
	files := http.FileServer(http.FS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		files.ServeHTTP(w, r)
	})
}

// pageLabels is what the page needs to show a result in words, as the text
// report does (engine/report): the names of the record's enum codes, of the
// units, and of the pack's parameters and definitions (for the example
// values a result lists), each [Chinese, English]; and what it needs to
// take a pasted record into its form, the names a record may give instead of
// codes, as the server reads them. Served as /labels.json, encoded once for
// each rule pack.
type pageLabels struct {
	Values map[string][2]string `json:"values"`
	Units  map[string][2]string `json:"units"`
	// Params names each parameter by its name and each definition as
	// "def." and its name, as Result.ExampleValues lists them.
	Params map[string][2]string `json:"params"`
	// Names maps, for each enum field (household.EnumFields, by its path:
	// "members[].relation", "status[]"), each name a record may give
	// (户主, 低保) to its code.
	Names map[string]map[string]string `json:"names"`
	// Grades are the grades written as text (二级); Flags the words for
	// true and false (是, 否).
	Grades map[string]int  `json:"grades"`
	Flags  map[string]bool `json:"flags"`
}

// labelsFor encodes the page's labels with a pack's parameter names.
func labelsFor(p *rulepack.Pack) []byte {
	l := pageLabels{Values: household.ValueLabels(), Units: report.UnitLabels(), Params: map[string][2]string{},
		Names: map[string]map[string]string{}, Grades: household.GradeNames, Flags: household.FlagNames}
	for _, f := range household.EnumFields {
		l.Names[f.Path] = f.Names
	}
	for _, d := range p.Params {
		l.Params[d.Name] = [2]string{d.Text.Zh, d.Text.En}
	}
	for _, d := range p.Defs {
		l.Params["def."+d.Name] = [2]string{d.Text.Zh, d.Text.En}
	}
	// Maps of strings always encode: there is no error to handle.
	b, _ := json.Marshal(l)
	return b
}

// encodedLabels is the labels of one engine's pack, kept until a reload
// swaps the engine.
type encodedLabels struct {
	eng  *engine.Engine
	json []byte
}

func (s *Server) labels(w http.ResponseWriter, r *http.Request) {
	eng := s.eng.Load()
	l := s.pageLabels.Load()
	if l == nil || l.eng != eng {
		l = &encodedLabels{eng, labelsFor(eng.Pack())}
		s.pageLabels.Store(l)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(l.json)
}
