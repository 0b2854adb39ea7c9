package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"entitle/engine/audit/rollgen"
)

// Regression: -plant-every 0 divided by zero; it now plants nothing, and a
// negative count is refused with the flag named.
func TestPlantEvery(t *testing.T) {
	dir := t.TempDir()
	roll, manifest := filepath.Join(dir, "roll.jsonl"), filepath.Join(dir, "manifest.json")
	require.NoError(t, run(30, 7, "2025-06-30", roll, "jsonl", manifest, 0, ""))
	b, err := os.ReadFile(manifest)
	require.NoError(t, err)
	var m rollgen.Manifest
	require.NoError(t, json.Unmarshal(b, &m))
	require.Empty(t, m.Findings)
	require.Equal(t, 30, m.Households)
	out, err := os.ReadFile(roll)
	require.NoError(t, err)
	require.Equal(t, 30, strings.Count(string(out), "\n"))

	for _, c := range []struct {
		n, per int
		flag   string
	}{{30, -1, "-plant-every -1"}, {-5, 10, "-n -5"}} {
		err := run(c.n, 7, "2025-06-30", roll, "jsonl", "", c.per, "")
		require.ErrorContains(t, err, c.flag)
	}
}
