package main

import (
	"fmt"
	"io"

	"entitle/engine"
	"entitle/engine/rulepack"
)

// loadEngine loads the pack in dir, or the embedded one when dir is empty.
// It prints the diagnostics of a broken pack.
func loadEngine(dir string, stderr io.Writer) (*engine.Engine, bool) {
	var eng *engine.Engine
	var err error
	if dir == "" {
		eng, err = engine.LoadEmbedded()
	} else {
		eng, err = engine.LoadDir(dir)
	}
	if err != nil {
		if ds, ok := err.(rulepack.Diagnostics); ok {
			fmt.Fprintf(stderr, "entitle: the rule pack has %d error(s):\n", len(ds))
			for _, d := range ds {
				fmt.Fprintln(stderr, d.String())
			}
		} else {
			fmt.Fprintln(stderr, "entitle:", err)
		}
		return nil, false
	}
	return eng, true
}
