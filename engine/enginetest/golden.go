// Package enginetest holds helpers for testing code that uses the engine:
// golden files that tests compare output with, rewritten under -update.
package enginetest

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

// Golden compares got with the file at path, or writes it under -update. On
// a difference it reports the first lines that differ, not the whole output.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file %s: %v (run the test with -update to create it)", path, err)
	}
	if string(want) == string(got) {
		return
	}
	t.Errorf("output differs from %s (rerun with -update if the change is intended):\n%s", path, Diff(string(want), string(got), 12))
}

// Diff lists up to max lines where want and got differ, with line numbers.
func Diff(want, got string, max int) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	n := 0
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, c string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			c = g[i]
		}
		if a == c {
			continue
		}
		fmt.Fprintf(&b, "line %d:\n  want: %s\n  got:  %s\n", i+1, a, c)
		if n++; n >= max {
			b.WriteString("  …\n")
			break
		}
	}
	if len(w) != len(g) {
		fmt.Fprintf(&b, "(want %d lines, got %d)\n", len(w), len(g))
	}
	return b.String()
}

// Updating reports whether the tests run with -update.
func Updating() bool { return *update }
