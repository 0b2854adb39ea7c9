package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"entitle/engine"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a buffer the process writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServe runs `entitle serve` as a process and returns its base URL.
func startServe(t *testing.T, args ...string) (string, *exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "ENTITLE_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, stderr.String())
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(line), "/")), cmd, stderr
}

func packHash(t *testing.T, base string) string {
	t.Helper()
	r, err := http.Get(base + "/healthz")
	require.NoError(t, err)
	defer r.Body.Close()
	var h struct {
		RulePack struct{ Hash, Version string } `json:"rule_pack"`
	}
	require.NoError(t, json.NewDecoder(r.Body).Decode(&h))
	return h.RulePack.Version + " " + h.RulePack.Hash
}

// eventually waits for ok, and fails with the server's log if it does not
// come true.
func eventually(t *testing.T, what string, log *syncBuffer, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s\nserver log:\n%s", what, log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeReloadsAndShutsDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	token := filepath.Join(t.TempDir(), "token")
	require.NoError(t, os.WriteFile(token, []byte("s3cret\n"), 0o600))
	logPath := filepath.Join(t.TempDir(), "decisions.jsonl")
	base, cmd, stderr := startServe(t, "--rules", dir, "--watch", "--token-file", token, "--decision-log", logPath)

	first := packHash(t, base)
	body, _ := os.ReadFile(sample)
	req, _ := http.NewRequest("POST", base+"/v1/evaluate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/yaml")
	r, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	assert.Equal(t, 401, r.StatusCode, "the token is required")
	req, _ = http.NewRequest("POST", base+"/v1/evaluate", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/yaml")
	req.Header.Set("Authorization", "Bearer s3cret")
	r, err = http.DefaultClient.Do(req)
	require.NoError(t, err)
	io.Copy(io.Discard, r.Body)
	r.Body.Close()
	assert.Equal(t, 200, r.StatusCode)
	assert.NotEmpty(t, r.Header.Get("X-Decision-Id"))

	// A changed pack is picked up (--watch) ...
	pack := filepath.Join(dir, "pack.yaml")
	b, _ := os.ReadFile(pack)
	require.NoError(t, os.WriteFile(pack, bytes.Replace(b, []byte("version: "), []byte("version: reloaded-"), 1), 0o644))
	eventually(t, "reload", stderr, func() bool { return strings.Contains(packHash(t, base), "reloaded-") })
	second := packHash(t, base)
	assert.NotEqual(t, first, second)

	// ... a broken one is refused, and the last good one keeps serving.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "141081", "broken.rules.yaml"), []byte("rules: [\n"), 0o644))
	eventually(t, "refusal logged", stderr, func() bool { return strings.Contains(stderr.String(), "reload refused") })
	assert.Equal(t, second, packHash(t, base))

	// SIGHUP reloads too (still broken: refused again).
	require.NoError(t, cmd.Process.Signal(syscall.SIGHUP))
	eventually(t, "SIGHUP handled", stderr, func() bool { return strings.Count(stderr.String(), "reload refused") >= 2 })

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), "graceful shutdown exits 0")
	assert.Contains(t, stderr.String(), "shutting down")
	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(data), "\n"), "one decision logged")
}

// TestServeReopensDecisionLog: after the decision log is renamed and the
// server sent SIGUSR1, the next decision goes to a new file under the old
// name, and the renamed file keeps the one before.
func TestServeReopensDecisionLog(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	if len(reopenSignals) == 0 {
		t.Skip("no signal reopens the log on this system")
	}
	logPath := filepath.Join(t.TempDir(), "decisions.jsonl")
	base, cmd, stderr := startServe(t, "--decision-log", logPath)
	body, err := os.ReadFile(sample)
	require.NoError(t, err)
	post := func() string {
		r, err := http.Post(base+"/v1/evaluate", "application/yaml", bytes.NewReader(body))
		require.NoError(t, err)
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		require.Equal(t, 200, r.StatusCode)
		return r.Header.Get("X-Decision-Id")
	}
	first := post()
	require.NoError(t, os.Rename(logPath, logPath+".1"))
	require.NoError(t, cmd.Process.Signal(reopenSignals[0]))
	eventually(t, "log reopened", stderr, func() bool { return strings.Contains(stderr.String(), "decision log reopened") })
	second := post()
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait())

	old, err := os.ReadFile(logPath + ".1")
	require.NoError(t, err)
	cur, err := os.ReadFile(logPath)
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(string(old), "\n"))
	assert.Contains(t, string(old), first)
	assert.Equal(t, 1, strings.Count(string(cur), "\n"))
	assert.Contains(t, string(cur), second)
}

func TestReplay(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	logPath := filepath.Join(t.TempDir(), "decisions.jsonl")
	base, cmd, _ := startServe(t, "--decision-log", logPath)
	var ids []string
	for _, f := range []string{sample, "../../testdata/households/hulunbuir-raise.yaml"} {
		body, _ := os.ReadFile(f)
		r, err := http.Post(base+"/v1/evaluate", "application/yaml", bytes.NewReader(body))
		require.NoError(t, err)
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
		require.Equal(t, 200, r.StatusCode)
		ids = append(ids, r.Header.Get("X-Decision-Id"))
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait())

	code, out, errs := runCLI(t, "", "replay", logPath)
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "2 项决定：0 项认定结果会改变")

	// Under a pack where 侯马's phase-out is 3 months, the August decision changes.
	dir := t.TempDir()
	copyDir(t, "../../rules", dir)
	values := filepath.Join(dir, "141081", "values.yaml")
	b, err := os.ReadFile(values)
	require.NoError(t, err)
	changed := bytes.Replace(b, []byte("    - value: 6\n"), []byte("    - value: 3\n"), 1)
	require.NotEqual(t, b, changed, "the phase-out length is in 141081/values.yaml")
	require.NoError(t, os.WriteFile(values, changed, 0o644))
	// One decision asked for by its id, for an appeal, is reported in full
	// with the clauses it rests on, and said to be as made then.
	code, out, errs = runCLI(t, "", "replay", "--id", ids[0], logPath)
	assert.Equal(t, exitOK, code, errs)
	assert.True(t, strings.HasPrefix(out, "决定 "+ids[0]+"（"+logPath+" 第 1 行），"), out)
	assert.Contains(t, out, "作出：现规则包与之相同，以下即当时的认定。")
	assert.Contains(t, out, "户 HM-2025-0317 · 侯马市（141081） · 评估日期 2025-08-15")
	assert.Contains(t, out, "✔ 低保渐退期 dibao_phase_out · 全户 · 符合（应当给予）")
	assert.Contains(t, out, "并在其家庭成員人均收入超過當地低保標準後給予6個月的漸退期", "the clause it rests on")
	assert.NotContains(t, out, "呼伦贝尔", "the other decision is not replayed")
	assert.Contains(t, out, "重新认定 1 项决定：0 项认定结果会改变")
	code, _, errs = runCLI(t, "", "replay", "--id", "0123456789abcdef0123456789abcdef", logPath)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errs, "所给日志中没有编号为 0123456789abcdef0123456789abcdef 的决定")

	code, out, errs = runCLI(t, "", "replay", "--rules", dir, "--lang", "en", "--id", ids[0], logPath)
	assert.Equal(t, exitFailed, code, errs)
	assert.Contains(t, out, ": the pack is now ", "a review under another pack says so")
	assert.Contains(t, out, "✘ Dibao phase-out period dibao_phase_out · household · ineligible")
	assert.Contains(t, out, "now not met: 141081.dibao_phase_out.six_months.within_phase_out", "and what differs from the decision made then")
	// In JSON, the one decision is one object: its full result under the
	// pack given, and what differs from the decision made then.
	code, out, errs = runCLI(t, "", "replay", "--rules", dir, "--format", "json", "--id", ids[0], logPath)
	assert.Equal(t, exitFailed, code, "%s%s", out, errs)
	require.Equal(t, 1, strings.Count(out, "\n"), "one object, one line")
	var rep Replayed
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, ids[0], rep.DecisionID)
	assert.Equal(t, logPath, rep.File)
	assert.Equal(t, 1, rep.Line)
	assert.False(t, rep.SamePack)
	embedded, err := engine.LoadEmbedded()
	require.NoError(t, err)
	assert.Equal(t, embedded.Pack().Meta.Hash, rep.MadeUnder.Hash, "made under the embedded pack")
	var full engine.Result
	require.NoError(t, json.Unmarshal(rep.Result, &full))
	assert.Equal(t, "HM-2025-0317", full.Household)
	assert.Equal(t, "2025-08-15", full.AsOf)
	var phaseOut *engine.Determination
	for i := range full.Determinations {
		if full.Determinations[i].Benefit == "dibao_phase_out" {
			phaseOut = &full.Determinations[i]
		}
	}
	require.NotNil(t, phaseOut)
	assert.Equal(t, engine.Ineligible, phaseOut.Status, "under the 3-month pack")
	require.NotEmpty(t, phaseOut.Citations)
	assert.Contains(t, phaseOut.Citations[0].Quote, "6個月的漸退期")
	require.Len(t, rep.Changes, 1)
	assert.Equal(t, "dibao_phase_out", rep.Changes[0].Benefit)

	code, out, errs = runCLI(t, "", "replay", "--format", "json", "--id", ids[1], logPath)
	assert.Equal(t, exitOK, code, "%s%s", out, errs)
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.True(t, rep.SamePack)
	assert.Empty(t, rep.Changes)
	assert.Contains(t, string(rep.Result), `"jurisdiction":{"code":"150700"`)

	code, out, errs = runCLI(t, "", "replay", "--rules", dir, "--lang", "en", logPath)
	assert.Equal(t, exitFailed, code, errs)
	assert.Contains(t, out, "): Dibao phase-out period dibao_phase_out for household: eligible (shall) → ineligible — now not met: 141081.dibao_phase_out.six_months.within_phase_out (income has been above the standard for no more than 6 months); period ends 2025-08-31 → 2025-05-31\n")
	code, out, _ = runCLI(t, "", "replay", "--rules", dir, logPath)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, " 第 1 行）：低保渐退期 dibao_phase_out · 全户：符合（应当给予） → 不符合 —— 现未满足：141081.dibao_phase_out.six_months.within_phase_out（")
	assert.Contains(t, out, "）；期间截止 2025-08-31 → 2025-05-31\n")
	code, out, _ = runCLI(t, "", "replay", "--rules", dir, "--format", "json", logPath)
	assert.Equal(t, exitFailed, code)
	var c Change
	require.NoError(t, json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &c))
	assert.Equal(t, "HM-2025-0317", c.Household)
	assert.True(t, strings.HasPrefix(c.Why, "now not met: "), c.Why)
	assert.True(t, strings.HasPrefix(c.WhyZh, "现未满足："), c.WhyZh)
	assert.Equal(t, logPath, c.File)
	assert.Equal(t, 1, c.Line)

	// The files a rotation leaves, the older compressed, are read in the
	// order given, and each change names its file and line.
	data, err := os.ReadFile(logPath)
	require.NoError(t, err)
	records := strings.SplitAfter(strings.TrimSuffix(string(data), "\n"), "\n")
	require.Len(t, records, 2)
	rotated := filepath.Join(t.TempDir(), "decisions.jsonl.1.gz")
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write([]byte(records[0]))
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(rotated, z.Bytes(), 0o600))
	current := filepath.Join(t.TempDir(), "decisions.jsonl")
	require.NoError(t, os.WriteFile(current, []byte(records[1]+"\n"), 0o600))
	code, out, errs = runCLI(t, "", "replay", "--lang", "en", rotated, current)
	assert.Equal(t, exitOK, code, errs)
	assert.Contains(t, out, "2 decisions replayed")
	code, out, _ = runCLI(t, "", "replay", "--rules", dir, "--format", "json", rotated, current)
	assert.Equal(t, exitFailed, code)
	require.NoError(t, json.Unmarshal([]byte(strings.Split(out, "\n")[0]), &c))
	assert.Equal(t, "HM-2025-0317", c.Household)
	assert.Equal(t, rotated, c.File)
	assert.Equal(t, 1, c.Line)

	// A decision on a record that gave no household id says so.
	require.Contains(t, records[0], `"HM-2025-0317"`)
	noID := filepath.Join(t.TempDir(), "noid.jsonl")
	require.NoError(t, os.WriteFile(noID, []byte(strings.ReplaceAll(records[0], `"HM-2025-0317"`, `""`)), 0o600))
	code, out, _ = runCLI(t, "", "replay", "--rules", dir, noID)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "（户未编号，"+noID+" 第 1 行）：低保渐退期 dibao_phase_out")
	code, out, _ = runCLI(t, "", "replay", "--rules", dir, "--lang", "en", noID)
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, " (household without an id, "+noID+":1): Dibao phase-out period")

	// A long log is replayed in batches over workers: the output is the
	// same for any number of them, in the log's order, with every line
	// counted.
	code, one, _ := runCLI(t, "", "replay", "--rules", dir, "--format", "json", rotated, current)
	require.Equal(t, exitFailed, code)
	perPair := strings.Count(one, "\n")
	require.Positive(t, perPair)
	var long strings.Builder
	const pairs = 300
	for i := range pairs {
		long.WriteString(records[0] + records[1] + "\n")
		if i == 200 {
			long.WriteString("{not json\n")
		}
	}
	longPath := filepath.Join(t.TempDir(), "long.jsonl")
	require.NoError(t, os.WriteFile(longPath, []byte(long.String()), 0o600))
	var outs, errss []string
	for _, w := range []string{"1", "3"} {
		for _, format := range []string{"json", "text"} {
			code, out, errs := runCLI(t, "", "replay", "--rules", dir, "--format", format, "--lang", "en", "--workers", w, longPath)
			assert.Equal(t, exitIO, code, "an unreadable line makes the exit code 4")
			outs, errss = append(outs, out), append(errss, errs)
		}
	}
	assert.Equal(t, outs[0], outs[2], "json, 1 worker and 3")
	assert.Equal(t, outs[1], outs[3], "text, 1 worker and 3")
	assert.Equal(t, errss[0], errss[2])
	assert.True(t, strings.HasPrefix(errss[0], longPath+":403: not a decision record: "), errss[0])
	assert.Equal(t, 1, strings.Count(errss[0], "\n"), "one unreadable line")
	assert.Equal(t, pairs*perPair, strings.Count(outs[0], "\n"))
	assert.Contains(t, outs[1], fmt.Sprintf("%d decisions replayed under", 2*pairs))
	assert.Contains(t, outs[1], fmt.Sprintf("%d determinations change; 1 record unreadable", pairs*perPair))
	lines := strings.Split(strings.TrimSpace(outs[0]), "\n")
	for i := 1; i < len(lines); i++ {
		var a, b Change
		require.NoError(t, json.Unmarshal([]byte(lines[i-1]), &a))
		require.NoError(t, json.Unmarshal([]byte(lines[i]), &b))
		require.LessOrEqual(t, a.Line, b.Line, "changes in the log's order")
	}

	// A line that is not a decision is named by file and line, and counted.
	require.NoError(t, os.WriteFile(current, []byte(records[1]+"\n{not json\n"), 0o600))
	code, out, errs = runCLI(t, "", "replay", "--lang", "en", rotated, current)
	assert.Equal(t, exitIO, code)
	assert.Contains(t, errs, current+":2: not a decision record")
	assert.Contains(t, out, "2 decisions replayed")
	assert.Contains(t, out, "1 record unreadable")
	code, _, errs = runCLI(t, "", "replay", rotated, current)
	assert.Equal(t, exitIO, code)
	assert.Contains(t, errs, current+":2：不是决定记录（", "in Chinese by default")
	// A file named .gz that is not gzip, or a missing one, stops the replay.
	code, _, errs = runCLI(t, "", "replay", current+".gz")
	assert.Equal(t, exitIO, code)
	assert.Contains(t, errs, current+".gz")
	require.NoError(t, os.WriteFile(current+".gz", []byte(records[1]), 0o600))
	code, _, errs = runCLI(t, "", "replay", current+".gz")
	assert.Equal(t, exitIO, code)
	assert.Contains(t, errs, current+".gz: gzip")
}
