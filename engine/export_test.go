package engine

// Test hooks for the external test package.

// SetVerifyCompiled turns on checking compiled expressions against CEL and
// returns the differences found so far.
func SetVerifyCompiled(on bool) { verifyCompiled = on }

// CompiledMismatches returns the differences recorded while verifying.
func CompiledMismatches() []string {
	verifyMu.Lock()
	defer verifyMu.Unlock()
	return append([]string(nil), mismatches...)
}

// CompiledCoverage reports how many of the pack's expressions are compiled.
func (e *Engine) CompiledCoverage() (compiled, total int, missing []string) {
	for _, info := range e.slots.exprs {
		if info == nil {
			continue
		}
		total++
		if info.fn != nil {
			compiled++
		} else {
			missing = append(missing, info.expr.Src)
		}
	}
	return
}

// SetVerifyBrief turns on checking Brief against every full evaluation.
func SetVerifyBrief(on bool) { verifyBrief = on }

// BriefMismatches returns the differences recorded while verifying Brief.
func BriefMismatches() []string {
	briefMu.Lock()
	defer briefMu.Unlock()
	return append([]string(nil), briefMismatches...)
}

// SetVerifyJSON turns on checking AppendJSON against encoding/json on every
// evaluation.
func SetVerifyJSON(on bool) { verifyJSON = on }

// JSONMismatches returns the differences recorded while verifying.
func JSONMismatches() []string {
	jsonMu.Lock()
	defer jsonMu.Unlock()
	return append([]string(nil), jsonMismatches...)
}

// PackTexts counts what the encoder keeps encoded: strings, bilingual
// texts and citations.
func (e *Engine) PackTexts() (strs, texts, cites int) {
	return e.texts.strings.Len(), e.texts.texts.Len(), e.texts.citations.Len()
}
