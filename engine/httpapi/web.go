package httpapi

import (
	"embed"
	"encoding/json"
	"io/fs"
	"net/http"

	"entitle/engine/household"
	"entitle/engine/report"
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

// pageLabels is what the page needs to show a reason as the text report
// does (engine/report): the names of the record's enum codes and of the
// units, each [Chinese, English]. Served as /labels.json, built once.
var pageLabels = func() []byte {
	// Maps of strings always encode: there is no error to handle.
	b, _ := json.Marshal(struct {
		Values map[string][2]string `json:"values"`
		Units  map[string][2]string `json:"units"`
	}{household.ValueLabels(), report.UnitLabels()})
	return b
}()

func labelsHandler(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(pageLabels)
}
