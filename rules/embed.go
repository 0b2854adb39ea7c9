// Package rules embeds the rule pack shipped with entitle: the benefit
// vocabulary, the rules of the five jurisdictions and the national base
// layer, their dated parameters, and the cleaned source documents the rules
// quote. `entitle` uses it when no --rules directory is given.
package rules

import "embed"

// FS is the embedded rule pack. sources/raw (the uncleaned seeds) is left out.
//
//go:embed *.yaml */*.yaml */*.txt
var FS embed.FS
