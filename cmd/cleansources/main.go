// Command cleansources regenerates the cleaned source documents of the rule
// pack and the list of repairs from the raw seeds:
//
//	go run ./cmd/cleansources            # writes rules/sources/*.txt and repairs.yaml
//	go run ./cmd/cleansources -check     # exits 1 if the committed files differ
//
// What it repairs, and why, is in rules/sources/sources.yaml and
// engine/sources.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"entitle/engine/rulepack"
)

func main() {
	dir := flag.String("rules", "rules", "rule pack directory")
	check := flag.Bool("check", false, "compare with the committed files instead of writing")
	flag.Parse()
	files, repairs, err := rulepack.CleanedSources(os.DirFS(*dir))
	if err != nil {
		fmt.Fprintln(os.Stderr, "cleansources:", err)
		os.Exit(2)
	}
	files[rulepack.RepairsFile] = repairs
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	differ := false
	for _, p := range paths {
		target := filepath.Join(*dir, filepath.FromSlash(p))
		if *check {
			old, err := os.ReadFile(target)
			if err != nil || !bytes.Equal(old, files[p]) {
				fmt.Printf("differs: %s\n", target)
				differ = true
			}
			continue
		}
		if err := os.WriteFile(target, files[p], 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "cleansources:", err)
			os.Exit(2)
		}
		fmt.Printf("wrote %s\n", target)
	}
	if differ {
		os.Exit(1)
	}
}
