package httpapi

import (
	"embed"
	"io/fs"
	"net/http"
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
