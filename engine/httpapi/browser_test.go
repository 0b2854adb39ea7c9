package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"entitle/engine"
	hh "entitle/engine/household"
	"entitle/engine/httpapi"
	"entitle/engine/internal/testengine"
)

// chromium finds a Chromium to drive; .ci/run installs Debian's and sets
// ENTITLE_REQUIRE_BROWSER=1 so that a missing browser fails rather than skips.
func chromium(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ENTITLE_REQUIRE_BROWSER") == "1" {
		t.Fatal("no Chromium found (apt-get install chromium)")
	}
	t.Skip("no Chromium found; install Debian's chromium to run the browser test")
	return ""
}

// TestCaseworkerPage drives the page in a real headless Chromium: a
// caseworker enters a household member by member, submits, and sees the
// benefits with their citations and what to ask; then switches to English.
// A screenshot is saved as a test artifact.
func TestCaseworkerPage(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	var text, english string
	var shot []byte
	err := chromedp.Run(ctx,
		enterHoumaHousehold(url),
		chromedp.SetValue(firstMember("relation"), "head", chromedp.ByQuery),
		chromedp.SetValue(firstMember("care_needed"), "true", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("care_months"), "36", chromedp.ByQuery),
		chromedp.SetValue(firstMember("employment_status"), "not_in_labour_force", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("wages"), "0", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("business"), "0", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("pension"), "0", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("other"), "0", chromedp.ByQuery),
		chromedp.SetValue(firstMember("tekun"), "false", chromedp.ByQuery),
		chromedp.SetValue(firstMember("orphan_guarantee"), "false", chromedp.ByQuery),
		chromedp.SetValue(firstMember("work_injury_care_allowance"), "false", chromedp.ByQuery),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`article.card[data-benefit="care_subsidy"]`, chromedp.ByQuery),
		chromedp.Text(`#result`, &text, chromedp.ByQuery),
		chromedp.FullScreenshot(&shot, 100), // quality 100: PNG
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(`#result`, &english, chromedp.ByQuery),
	)
	require.NoError(t, err)

	assert.Contains(t, text, "重度残疾人护理补贴")
	assert.Contains(t, text, "符合")
	assert.Contains(t, text, "侯馬市", "the local plan is cited")
	assert.Contains(t, text, "对象为残疾等级被评定为一级、二级且需要长期照护的重度残疾人", "the national clause is quoted")
	assert.Contains(t, text, "需向申请人询问", "missing facts are listed to ask")
	assert.Contains(t, english, "Care subsidy for severely disabled people")
	assert.Contains(t, english, "Eligible")

	dir := os.Getenv("ENTITLE_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "entitle-artifacts")
	}
	require.NoError(t, os.MkdirAll(dir, 0o755))
	path := filepath.Join(dir, "caseworker-page.png")
	require.NoError(t, os.WriteFile(path, shot, 0o644))
	t.Logf("screenshot: %s", path)
	assert.True(t, strings.HasPrefix(string(shot), "\x89PNG"), "a PNG")
}

// openPage starts the server with opts and a headless Chromium, and returns
// the browser's context and the page's address; both stop when the test ends.
func openPage(t *testing.T, opts httpapi.Options) (context.Context, string) {
	t.Helper()
	ts := httptest.NewServer(httpapi.New(testengine.Engine(t), opts))
	t.Cleanup(ts.Close)
	return openBrowser(t), ts.URL + "/"
}

// openBrowser starts a headless Chromium and returns its context, which
// stops when the test ends.
func openBrowser(t *testing.T) context.Context {
	t.Helper()
	bin := chromium(t)
	flags := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(bin), chromedp.NoSandbox,
		chromedp.Flag("headless", true), chromedp.WindowSize(1280, 2000))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), flags...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// firstMember selects an input of the form's first member.
func firstMember(field string) string {
	return `#members fieldset:nth-of-type(1) [name="` + field + `"]`
}

// enterHoumaHousehold opens the page and enters in the form a 侯马 低保
// household, as of 2025-06-30, whose member M1 (born 1990) has a grade 2
// intellectual disability and a valid certificate; the rest is left unknown.
func enterHoumaHousehold(url string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(url),
		chromedp.WaitReady(`#jurisdiction option[value="141081"]`, chromedp.ByQuery),
		chromedp.SetValue(`#jurisdiction`, "141081", chromedp.ByQuery),
		chromedp.SetValue(`[name="residence"]`, "urban", chromedp.ByQuery),
		chromedp.SetValue(`[name="as_of"]`, "2025-06-30", chromedp.ByQuery),
		chromedp.SetValue(`[name="property_test"]`, "pass", chromedp.ByQuery),
		chromedp.Click(`[name="status"][value="dibao"]`, chromedp.ByQuery),
		chromedp.SetValue(firstMember("birth_date"), "1990-05-01", chromedp.ByQuery),
		chromedp.SetValue(firstMember("disabled"), "true", chromedp.ByQuery),
		chromedp.SetValue(firstMember("category"), "intellectual", chromedp.ByQuery),
		chromedp.SetValue(firstMember("grade"), "2", chromedp.ByQuery),
		chromedp.SetValue(firstMember("certificate_valid"), "true", chromedp.ByQuery),
	}
}

// pasteRecord opens the page, pastes a JSON record and submits it.
func pasteRecord(url, record string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(url),
		chromedp.WaitReady(`#jurisdiction option[value="141081"]`, chromedp.ByQuery),
		paste(record),
	}
}

// paste pastes a JSON record into the page open and submits it.
func paste(record string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Click(`details.paste summary`, chromedp.ByQuery),
		chromedp.SetValue(`#json`, record, chromedp.ByQuery),
		chromedp.Click(`#submitJSON`, chromedp.ByQuery),
	}
}

// TestCaseworkerPageShowsProblems: a pasted record with mistakes is
// answered with each problem named in words, Chinese first: the member and
// field, the kind of problem, then the code, line and message. A record
// evaluated with a warning shows the warning so, above the cards.
func TestCaseworkerPageShowsProblems(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081",
"members":[{"id":"M1","disability":{"category":"智力","grade":"五级"}},
{"id":"M2","care":{"needed":"也许"}}]}`
	warned := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30",
"members":[{"id":"M1","disability":{"category":"肢体","grade":"二级","certificate_no":"X-1"}}]}`
	var zh, en, warning string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .problem li[data-code="H011"]`, chromedp.ByQuery),
		chromedp.Text(`#result`, &zh, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(`#result`, &en, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.SetValue(`#json`, warned, chromedp.ByQuery),
		chromedp.Click(`#submitJSON`, chromedp.ByQuery),
		chromedp.WaitVisible(`#result .warnings li[data-code="W001"]`, chromedp.ByQuery),
		chromedp.Text(`#result .warnings`, &warning, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Contains(t, zh, "记录有问题")
	assert.Contains(t, zh, "第 1 位成员：残疾等级：残疾等级不是一至四级（H011，第 2 行")
	assert.Contains(t, zh, "第 2 位成员：是否因残疾需要照护：字段的值类型或形式不对（H003，第 3 行")
	assert.Contains(t, zh, `应为是或否（true 或 false）；填写的是 "也许" members[1].care.needed`, "the message in Chinese, then the field's path")
	assert.NotContains(t, zh, "must be true or false")
	assert.Contains(t, en, "member 1: disability grade: disability grade is not 1 to 4 (H011, line 2:", "the English switch words the problems anew")
	assert.Contains(t, en, `must be true or false (是 or 否); got "也许" members[1].care.needed`)
	assert.Contains(t, warning, "记录提示")
	assert.Contains(t, warning, "第 1 位成员：残疾人证号（或证件是否有效）：残疾人证号不是第二代格式，未作交叉核对（W001）")
	assert.Contains(t, warning, `残疾人证号 "X-1" 不是第二代格式（公民身份号码加类别、等级各一位数字）`)
}

// TestCaseworkerPageShowsServerProblems: a problem that is not the
// record's (here a record over the size limit) is shown by its own title
// and detail in the page's language, not as "the record has problems".
func TestCaseworkerPageShowsServerProblems(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{MaxBody: 64})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","members":[{"id":"M1","disability":{"category":"肢体","grade":2}}]}`
	var zh, en string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .problem`, chromedp.ByQuery),
		chromedp.Text(`#result`, &zh, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(`#result`, &en, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Contains(t, zh, "请求体过大")
	assert.Contains(t, zh, "请求内容超过 64 字节")
	assert.NotContains(t, zh, "记录有问题")
	assert.Contains(t, en, "Request body too large")
	assert.Contains(t, en, "the body is larger than 64 bytes")
}

// TestCaseworkerPageShowsDecisionID: with a decision log, the page shows
// the id of the decision it answered with, so that the printout in the case
// file leads back to the logged record.
func TestCaseworkerPageShowsDecisionID(t *testing.T) {
	path := filepath.Join(t.TempDir(), "decisions.jsonl")
	log, err := httpapi.OpenDecisionLog(path, false)
	require.NoError(t, err)
	ctx, url := openPage(t, httpapi.Options{Log: log})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","members":[{"id":"M1","disability":{"category":"肢体","grade":2}}]}`
	var shown string
	err = chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .decision code`, chromedp.ByQuery),
		chromedp.Text(`#result .decision code`, &shown, chromedp.ByQuery),
	)
	require.NoError(t, err)
	require.NoError(t, log.Close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var rec struct {
		DecisionID string `json:"decision_id"`
	}
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(data), &rec), "one record in the log")
	assert.NotEmpty(t, shown)
	assert.Equal(t, rec.DecisionID, shown, "the page shows the logged decision's id")
}

// TestCaseworkerPageShowsExceptions: a benefit refused because an
// exception applies says so (领取工伤保险生活护理费 —— 属于例外情形), not
// as if a condition were unmet.
func TestCaseworkerPageShowsExceptions(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","members":[{"id":"M1",
"disability":{"category":"肢体","grade":1,"certificate_no":"C1"},"care":{"needed":true,"months":24},
"work_injury_care_allowance":true,"tekun":false,"orphan_guarantee":false}]}`
	card := `#result article[data-benefit="care_subsidy"][data-subject="M1"]`
	var zh, en string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(card+` .reasons li.exception`, chromedp.ByQuery),
		chromedp.Text(card+` .reasons`, &zh, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(card+` .reasons`, &en, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Contains(t, zh, "领取工伤保险生活护理费 —— 属于例外情形")
	assert.Contains(t, en, "receives the work-injury insurance living-care allowance — an exception applies")
}

// TestCaseworkerPageShowsQuoteInContext: a citation, opened, shows the
// sentence of its document the quote stands in, the quote marked: here
// the orphans' exclusion from the living allowance, and the rest of its
// sentence, which keeps the care subsidy.
func TestCaseworkerPageShowsQuoteInContext(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","status":["dibao"],"members":[{"id":"M1",
"disability":{"category":"肢体","grade":1,"certificate_no":"C1"},"orphan_guarantee":true}]}`
	quote := `#result article[data-benefit="living_allowance"][data-subject="M1"] details.in-context[data-rule="national.living_allowance.excl_orphan"]`
	var context, marked string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(quote, chromedp.ByQuery),
		chromedp.Click(quote+` summary`, chromedp.ByQuery),
		chromedp.WaitVisible(quote+` p.context mark`, chromedp.ByQuery),
		chromedp.Text(quote+` p.context`, &context, chromedp.ByQuery),
		chromedp.Text(quote+` p.context mark`, &marked, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Equal(t, "享受孤儿基本生活保障政策的残疾人不享受困难残疾人生活补贴", marked)
	assert.Equal(t, "享受孤儿基本生活保障政策的残疾人不享受困难残疾人生活补贴,但符合重度残疾人护理补贴条件的,可享受重度残疾人护理补贴。", context)
}

// TestCaseworkerPageShowsEachReasonOnce: a requirement that several rules
// state (the family is not already in 低保, for each way of applying alone)
// is listed once on the card, as in the text report.
func TestCaseworkerPageShowsEachReasonOnce(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","residence":"urban","status":["dibao"],
"property_test":"pass","members":[{"id":"M1","birth_date":"1990-05-01",
"disability":{"category":"intellectual","grade":2,"certificate_no":"C1"},"care":{"needed":true,"months":24},
"employment":{"status":"not_in_labour_force"},"income":{"wages":0,"business":0,"pension":0,"other":0}}]}`
	card := `#result article[data-benefit="dibao_single_person"][data-subject="M1"]`
	var items []string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(card+` .reasons li`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('`+card+` .reasons li')].map(li => li.textContent)`, &items),
	)
	require.NoError(t, err)
	require.NotEmpty(t, items)
	seen, shared := map[string]bool{}, 0
	for _, it := range items {
		assert.False(t, seen[it], "shown twice: %s", it)
		seen[it] = true
		if strings.HasPrefix(it, "家庭未享受、也不符合低保") {
			shared++
		}
	}
	assert.Equal(t, 1, shared, "the shared requirement is shown once: %q", items)
}

// TestCaseworkerPageNamesValues: a reason shows values and units as the
// text report does, by their names (非劳动力, 属于 失业、自主创业, 元), never
// as codes (not_in_labour_force, money); so do the example values the
// result rests on (城市低保标准, not dibao_standard_urban); and in English
// after the switch.
func TestCaseworkerPageNamesValues(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","residence":"urban","status":[],
"property_test":"pass","members":[{"id":"M1","birth_date":"1990-05-01",
"disability":{"category":"physical","grade":1,"certificate_no":"C1"},"care":{"needed":false},
"employment":{"status":"not_in_labour_force"},"income":{"wages":0,"business":0,"pension":5000,"other":0}}]}`
	dibao := `#result article[data-benefit="dibao"] .reasons`
	grad := `#result article[data-benefit="graduate_job_subsidy"][data-subject="M1"] .reasons`
	example := `#result .example`
	notes := `#result article[data-benefit="dibao"] .caveats`
	var zhDibao, zhGrad, enDibao, enGrad, zhExample, zhNotes, enExample, enNotes string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(grad+` li`, chromedp.ByQuery),
		chromedp.Text(dibao, &zhDibao, chromedp.ByQuery),
		chromedp.Text(grad, &zhGrad, chromedp.ByQuery),
		chromedp.Text(example, &zhExample, chromedp.ByQuery),
		chromedp.Text(notes, &zhNotes, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(dibao, &enDibao, chromedp.ByQuery),
		chromedp.Text(grad, &enGrad, chromedp.ByQuery),
		chromedp.Text(example, &enExample, chromedp.ByQuery),
		chromedp.Text(notes, &enNotes, chromedp.ByQuery),
	)
	require.NoError(t, err)
	// The example values are named, not listed by code.
	assert.Contains(t, zhExample, "城市低保标准")
	assert.Contains(t, zhExample, "困难残疾人家庭（困难家庭）")
	assert.Contains(t, zhNotes, "本结果用到示例参数或示例定义：城市低保标准。")
	assert.Contains(t, enExample, "urban dibao standard")
	assert.Contains(t, enNotes, "example parameter values or definitions: urban dibao standard.")
	for _, s := range []string{zhExample, zhNotes, enExample, enNotes} {
		assert.NotContains(t, s, "dibao_standard_urban")
		assert.NotContains(t, s, "def.")
	}
	assert.Contains(t, zhDibao, "（实际 5000.00 元，要求 < 700.00 元）")
	assert.Contains(t, zhGrad, "求职或创业（实际 非劳动力，要求 属于 失业、自主创业）")
	assert.Contains(t, enDibao, "(actual 5000.00 yuan, required < 700.00 yuan)")
	assert.Contains(t, enGrad, "(actual not in the labour force, required one of unemployed, self-employed)")
	for _, s := range []string{zhDibao, zhGrad, enDibao, enGrad} {
		assert.NotContains(t, s, "money")
		assert.NotContains(t, s, "not_in_labour_force")
	}
}

// TestCaseworkerPageListsNotDetermined: below the cards, the page lists
// the benefits the rule pack has that the result does not decide, with
// why: a clause Houma's plan does not have, and one it has that is left
// out, quoted.
func TestCaseworkerPageListsNotDetermined(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","members":[{"id":"M1",
"disability":{"category":"肢体","grade":1,"certificate_no":"C1"}}]}`
	list := `#result .not-determined`
	var zh, en, leftOut string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(list+` li[data-benefit="information_discount"][data-why="no_clause"]`, chromedp.ByQuery),
		chromedp.Text(list, &zh, chromedp.ByQuery),
		chromedp.Text(list+` li[data-benefit="dilapidated_house_renovation"][data-why="left_out"]`, &leftOut, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(list, &en, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Contains(t, zh, "未作认定的待遇（5 项）")
	assert.Contains(t, zh, "信息消费优惠")
	assert.Contains(t, zh, "《侯馬市“十四五”殘疾人保障和發展規劃》中没有此项待遇的条款")
	assert.Contains(t, leftOut, "持續關注農村低收入殘疾人家庭住房安全", "the clause left out is quoted")
	assert.Contains(t, leftOut, "三(一)5")
	assert.Contains(t, en, "Not determined (5)")
	assert.Contains(t, en, "Discounts on telephone, data and broadband")
}

// TestCaseworkerPageShowsChecklist: above the cards, the page lists what to
// ask the applicant, each missing fact once with the benefits waiting on
// it, in the order of the result's checklist.
func TestCaseworkerPageShowsChecklist(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30","residence":"urban","status":["dibao"],"property_test":"pass",
"members":[{"id":"M1","birth_date":"1990-05-01","disability":{"category":"肢体","grade":1},"employment":{"status":"not_in_labour_force"}}]}`
	api := do(t, httpapi.New(testengine.Engine(t), httpapi.Options{}), "POST", "/v1/evaluate", "application/json", []byte(record))
	require.Equal(t, 200, api.Code, api.Body.String())
	var res engine.Result
	require.NoError(t, json.Unmarshal(api.Body.Bytes(), &res))
	require.Greater(t, len(res.Checklist), 2, "the record leaves several facts open")
	first := res.Checklist[0]
	require.Greater(t, len(first.Benefits), 1, "the first question concerns several benefits")

	list := `#result .checklist`
	var fields []string
	var zh, en string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(list+` li[data-field]`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("#result .checklist li")].map(li => li.dataset.field)`, &fields),
		chromedp.Text(list, &zh, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Text(list, &en, chromedp.ByQuery),
	)
	require.NoError(t, err)
	var buttons int
	require.NoError(t, chromedp.Run(ctx, chromedp.Evaluate(`document.querySelectorAll("#result .checklist li button.goto").length`, &buttons)))
	assert.Equal(t, len(res.Checklist), buttons, "the pasted record is taken into the form, and every question leads there")
	want := make([]string, len(res.Checklist))
	for i, q := range res.Checklist {
		want[i] = q.Field
	}
	assert.Equal(t, want, fields, "each fact once, in the result's order")
	assert.Contains(t, zh, fmt.Sprintf("需向申请人询问（%d 项，涉及待遇多的在前）", len(want)))
	assert.Contains(t, zh, first.Label.Zh)
	assert.Contains(t, zh, "涉及：")
	assert.Contains(t, en, fmt.Sprintf("Ask the applicant (%d; ordered by how many benefits wait on each)", len(want)))
	assert.Contains(t, en, first.Label.En)
	for _, code := range first.Benefits {
		d, ok := res.Determination(code, "M1")
		if !ok {
			d, ok = res.Determination(code, "household")
		}
		require.True(t, ok, code)
		assert.Contains(t, zh, d.BenefitName.Zh, "the benefits waiting on the first question are named")
		assert.Contains(t, en, d.BenefitName.En)
	}
}

// TestCaseworkerPageChecklistLeadsToTheForm: for a record entered in the
// form, a question's button opens the field it asks for (unfolding 更多情况
// where the field is folded) and focuses it; answered and submitted again,
// the question is gone from the checklist.
func TestCaseworkerPageChecklistLeadsToTheForm(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	item := func(field string) string { return `#result .checklist li[data-field="` + field + `"]` }
	var focused, after []string
	var open bool
	fields := `[...document.querySelectorAll("#result .checklist li")].map(li => li.dataset.field)`
	err := chromedp.Run(ctx,
		enterHoumaHousehold(url),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitVisible(item("members[0].needs")+` button.goto`, chromedp.ByQuery),
		chromedp.WaitVisible(item("housing.seeking_public_rental")+` button.goto`, chromedp.ByQuery),
		chromedp.Click(item("members[0].needs")+` button.goto`, chromedp.ByQuery),
		chromedp.Evaluate(`[document.activeElement.name, document.activeElement.closest("fieldset").dataset.id || ""]`, &focused),
		chromedp.Evaluate(`document.querySelector("#members fieldset details.more").open`, &open),
	)
	require.NoError(t, err)
	assert.Equal(t, []string{"needs", "M1"}, focused, "the button focuses the member's service needs")
	assert.True(t, open, "the folded section is opened")

	err = chromedp.Run(ctx,
		chromedp.Click(firstMember("needs")+`[value="day_care"]`, chromedp.ByQuery),
		chromedp.Click(item("housing.seeking_public_rental")+` button.goto`, chromedp.ByQuery),
		chromedp.Evaluate(`[document.activeElement.name, ""]`, &focused),
		chromedp.SetValue(`[name="seeking_public_rental"]`, "false", chromedp.ByQuery),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitNotPresent(item("members[0].needs"), chromedp.ByQuery),
		chromedp.WaitVisible(`#result .checklist li`, chromedp.ByQuery), // the new result, not the interim 正在认定
		chromedp.Evaluate(fields, &after),
	)
	require.NoError(t, err)
	assert.Equal(t, []string{"seeking_public_rental", ""}, focused)
	assert.NotContains(t, after, "members[0].needs", "answered")
	assert.NotContains(t, after, "housing.seeking_public_rental", "answered")
	assert.NotEmpty(t, after, "other questions remain")
}

// formRecord is the record the form now holds, as the page sends it, with
// the date of evaluation the form gives (sent as the query's as_of).
const formRecord = `(() => { const r = record(); const d = document.querySelector('[name="as_of"]').value; if (d) r.as_of = d; return JSON.stringify(r); })()`

// canonical is a record as the engine reads it, encoded: two records that
// read the same encode the same.
func canonical(t *testing.T, name string, record []byte) string {
	_, enc := decoded(t, name, record)
	return enc
}

// decoded is a record as the engine reads it, and encoded.
func decoded(t *testing.T, name string, record []byte) (*hh.Household, string) {
	t.Helper()
	h, _, err := hh.Decode(record, hh.DecodeOptions{File: name})
	require.NoError(t, err, "%s", record)
	return h, string(hh.AppendJSON(nil, h))
}

// TestCaseworkerPageTakesPastedRecordIntoForm: a pasted record is evaluated
// and taken into the form, whole: for every example household, the record
// the form then sends reads as the one pasted (the JSON file as it is; a
// YAML one as JSON), its members keep their ids, the page says the form
// holds it, and each checklist question has its 填写 button.
func TestCaseworkerPageTakesPastedRecordIntoForm(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	files, err := filepath.Glob("../../testdata/households/*")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		h, want := decoded(t, f, raw)
		pasted := raw
		if filepath.Ext(f) != ".json" {
			pasted = []byte(want)
		}
		var note, sent string
		var ids []string
		var questions, buttons int
		err = chromedp.Run(ctx,
			// Something in the form first, which the pasted record replaces.
			enterHoumaHousehold(url),
			chromedp.Click(`#add`, chromedp.ByQuery),
			paste(string(pasted)),
			chromedp.WaitVisible(`#result .summary`, chromedp.ByQuery),
			chromedp.Text(`#loaded`, &note, chromedp.ByQuery),
			chromedp.Evaluate(formRecord, &sent),
			chromedp.Evaluate(`[...document.querySelectorAll("#members fieldset")].map(fs => fs.dataset.id)`, &ids),
			chromedp.Evaluate(`document.querySelectorAll("#result .checklist li").length`, &questions),
			chromedp.Evaluate(`document.querySelectorAll("#result .checklist li button.goto").length`, &buttons),
		)
		require.NoError(t, err, f)
		assert.Equal(t, "记录已载入上方表单，可在表单中修改后再认定。", note, f)
		assert.Equal(t, want, canonical(t, f, []byte(sent)), "%s: the form sends the record pasted", f)
		var memberIDs []string
		for _, m := range h.Members {
			memberIDs = append(memberIDs, m.ID)
		}
		assert.Equal(t, memberIDs, ids, f)
		assert.Equal(t, questions, buttons, "%s: every question leads to the form", f)
	}
}

// TestCaseworkerPageTakesNamesIntoForm: a pasted record that writes its
// values as Chinese forms do (户主, 肢体残疾, 二级, 是, 低保户, 康复) is taken
// into the form as the codes the server reads them as (/v1/validate), the
// jurisdiction by its code and amounts as the server reads them, and its
// member keeps the id it has.
func TestCaseworkerPageTakesNamesIntoForm(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"侯马市","as_of":"2025-06-30","residence":"城镇","status":["低保户"],"property_test":"符合",
"members":[{"id":"A","relation":"户主","birth_date":"1990-05-01","disabled":"是","disability":{"category":"肢体残疾","grade":"二级"},
"employment":{"status":"失业"},"work_capacity":"部分丧失劳动能力","needs":["康复"],"income":{"wages":"￥1,059.00","pension":800,"other":12.5}}]}`
	var note string
	var values, ticked, ids []string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .summary`, chromedp.ByQuery),
		chromedp.Text(`#loaded`, &note, chromedp.ByQuery),
		chromedp.Click(`#add`, chromedp.ByQuery),
		chromedp.Evaluate(`record().members.map(m => m.id)`, &ids),
		chromedp.Evaluate(`["jurisdiction","residence","property_test"].map(n => document.querySelector('fieldset.household [name="'+n+'"]').value)
			.concat(["relation","disabled","category","grade","employment_status","work_capacity","wages","pension","other"].map(n => document.querySelector('#members fieldset [name="'+n+'"]').value))`, &values),
		chromedp.Evaluate(`[...document.querySelectorAll('[name="status"]:checked, [name="needs"]:checked')].map(b => b.value)`, &ticked),
	)
	require.NoError(t, err)
	assert.Equal(t, "记录已载入上方表单，可在表单中修改后再认定。", note)
	assert.Equal(t, []string{"141081", "urban", "pass", "head", "true", "physical", "2", "unemployed", "partial_loss", "1059.00", "800.00", "12.50"}, values)
	assert.Equal(t, []string{"dibao", "rehabilitation"}, ticked)
	assert.Equal(t, []string{"A", "M1"}, ids, "the pasted member keeps its id; one added is numbered")
}

// TestCaseworkerPageSaysWhatFormCannotTake: a pasted record with a field the
// form has no input for, or a value it has no choice for, is still sent as
// pasted (and the server names the problems); the page lists those fields
// under the text box, and the rest, as far as the JSON goes, is in the form.
func TestCaseworkerPageSaysWhatFormCannotTake(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	record := `{"id":"H","jurisdiction":"141081","as_of":"2025-06-30",
"members":[{"id":"M1","name":"张三","disability":{"category":"肢体","grade":7},"income":{"pension":800}},{"id":"M2","name":"李四","colour":"red"}]}`
	var note, class, problems, pension string
	var names []string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .problem`, chromedp.ByQuery),
		chromedp.Text(`#loaded`, &note, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("loaded").className`, &class),
		chromedp.Text(`#result .problem`, &problems, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll('#members [name="name"]')].map(e => e.value)`, &names),
		chromedp.Value(firstMember("pension"), &pension, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Equal(t, "800.00", pension, "an amount given as a JSON number is put as the money inputs take amounts")
	assert.Equal(t, "以下字段未能载入表单（表单没有相应的输入项或选项），按表单认定时将缺少它们：members[0].disability.grade、members[1].colour", note)
	assert.Contains(t, class, "partial")
	assert.Contains(t, problems, "colour", "the server names the field it does not know")
	assert.Equal(t, []string{"张三", "李四"}, names, "the rest is in the form")

	err = chromedp.Run(ctx,
		pasteRecord(url, `{"id":"H","jurisdiction":"141081","members":"张三"}`),
		chromedp.WaitVisible(`#result .problem`, chromedp.ByQuery),
		chromedp.Text(`#loaded`, &note, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Equal(t, "以下字段未能载入表单（表单没有相应的输入项或选项），按表单认定时将缺少它们：members", note, "members not a list")
}

// TestCaseworkerPageTicksQuestionEverywhere: a question ticked as asked in
// the household's checklist is ticked on every card that asks it, and
// unticked on one card, it is unticked everywhere; switching the language
// keeps what is ticked.
func TestCaseworkerPageTicksQuestionEverywhere(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	raw := household(t, "dashiqiao-intake.json")
	var field string
	var cards, ticked, checklistTicked int
	count := func(sel string, n *int) chromedp.Action {
		return chromedp.Evaluate(`document.querySelectorAll(`+"`"+sel+"`"+`).length`, n)
	}
	err := chromedp.Run(ctx,
		pasteRecord(url, string(raw)),
		chromedp.WaitVisible(`#result .checklist li[data-field]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#result .checklist li[data-field]").dataset.field`, &field),
	)
	require.NoError(t, err)
	onCards := `#result .card li[data-field="` + field + `"] input:checked`
	err = chromedp.Run(ctx,
		count(`#result .card li[data-field="`+field+`"]`, &cards),
		chromedp.Click(`#result .checklist li[data-field="`+field+`"] input`, chromedp.ByQuery),
		count(onCards, &ticked),
	)
	require.NoError(t, err)
	assert.Greater(t, cards, 1, "the first question is asked on several cards")
	assert.Equal(t, cards, ticked, "ticked in the checklist, ticked on every card")
	err = chromedp.Run(ctx, chromedp.Click(`#lang`, chromedp.ByQuery), count(onCards, &ticked),
		count(`#result .checklist li[data-field="`+field+`"] input:checked`, &checklistTicked))
	require.NoError(t, err)
	assert.Equal(t, cards, ticked, "still ticked in the other language")
	assert.Equal(t, 1, checklistTicked)

	err = chromedp.Run(ctx,
		chromedp.Click(`#result .card li[data-field="`+field+`"] input`, chromedp.ByQuery),
		count(onCards, &ticked),
		count(`#result .checklist li[data-field="`+field+`"] input:checked`, &checklistTicked),
	)
	require.NoError(t, err)
	assert.Zero(t, ticked, "unticked on one card, unticked on all")
	assert.Zero(t, checklistTicked, "and in the checklist")
}

// TestCaseworkerPageShowsDerivedFacts: the page lists the facts worked out
// from the record (派生事实) as the text report does, line for line, in
// both languages, each member named as the report names them; and the cards
// name their member the same way.
func TestCaseworkerPageShowsDerivedFacts(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	srv := httpapi.New(testengine.Engine(t), httpapi.Options{})
	record := canonical(t, "houma-phase-out.yaml", household(t, "houma-phase-out.yaml"))
	// reported is the text report's derived facts, one line each, its
	// columns' spacing closed up.
	reported := func(lang, heading string) []string {
		w := do(t, srv, "POST", "/v1/evaluate?format=text&lang="+lang, "application/json", []byte(record))
		require.Equal(t, 200, w.Code, w.Body.String())
		_, block, ok := strings.Cut(w.Body.String(), "\n"+heading+"\n")
		require.True(t, ok, "the report has %s", heading)
		block, _, _ = strings.Cut(block, "\n\n")
		var lines []string
		for _, l := range strings.Split(block, "\n") {
			lines = append(lines, strings.Join(strings.Fields(l), " "))
		}
		return lines
	}
	rows := `[...document.querySelectorAll("#result .derived dt")].map(dt => (dt.textContent + " " + dt.nextElementSibling.textContent).split(/\s+/).join(" "))`
	var zh, en []string
	var card string
	err := chromedp.Run(ctx,
		pasteRecord(url, record),
		chromedp.WaitVisible(`#result .derived dt`, chromedp.ByQuery),
		chromedp.Evaluate(rows, &zh),
		chromedp.Text(`#result article.card[data-benefit="care_subsidy"][data-subject="M3"] h3 small`, &card, chromedp.ByQuery),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Evaluate(rows, &en),
	)
	require.NoError(t, err)
	want := reported("zh", "派生事实")
	require.Greater(t, len(want), 5)
	assert.Equal(t, want, zh)
	assert.Contains(t, zh, "成员 M1（王建国）：年龄（周岁） 50 岁")
	assert.Contains(t, zh, "当地低保标准 700.00 元/月 [示例参数]")
	assert.Equal(t, reported("en", "Derived facts"), en)
	assert.Equal(t, "care_subsidy · 成员 M3（王芳）", card)
}

// TestCaseworkerPageTakesAge: an age entered in place of the birth date is
// the member's age on the evaluation date, shown among the derived facts.
func TestCaseworkerPageTakesAge(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	var zh []string
	err := chromedp.Run(ctx,
		enterHoumaHousehold(url),
		chromedp.SetValue(firstMember("birth_date"), "", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("age"), "35", chromedp.ByQuery),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`#result .derived dt`, chromedp.ByQuery),
		chromedp.Evaluate(`[...document.querySelectorAll("#result .derived dt")].map(dt => (dt.textContent + " " + dt.nextElementSibling.textContent).split(/\s+/).join(" "))`, &zh),
	)
	require.NoError(t, err)
	assert.Contains(t, zh, "成员 M1：年龄（周岁） 35 岁")
}

// TestCaseworkerPageSaysServerIsGone: when the server cannot be reached
// (stopped after the page loaded), the page says so in place of 正在认定,
// which would otherwise stay for ever.
func TestCaseworkerPageSaysServerIsGone(t *testing.T) {
	ctx := openBrowser(t)
	ts := httptest.NewServer(httpapi.New(testengine.Engine(t), httpapi.Options{}))
	defer ts.Close()
	var text string
	err := chromedp.Run(ctx,
		enterHoumaHousehold(ts.URL+"/"),
		chromedp.ActionFunc(func(context.Context) error { ts.CloseClientConnections(); ts.Close(); return nil }),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`#result .problem`, chromedp.ByQuery),
		chromedp.Text(`#result`, &text, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Contains(t, text, "无法连接认定服务")
	assert.NotContains(t, text, "正在认定")
}

// TestCaseworkerPageShowsRecordEvaluated: beside the result, folded, is the
// record it was evaluated on, in the form's words: the fields entered, the
// empty ones (unknown) left out, as they were when submitted though the
// form has changed since; in English after the switch; unfolded for
// printing. A pasted YAML record is taken into the form and shown so, and
// evaluated on its own date, not on one left in the form; one the form
// could not take is shown as pasted.
func TestCaseworkerPageShowsRecordEvaluated(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	rows := `[...document.querySelectorAll("#result details.record dl")].map(dl => [...dl.querySelectorAll("dt")].map(dt => dt.textContent + "=" + dt.nextElementSibling.textContent))`
	var zh, en [][]string
	var heads []string
	var folded, unfolded bool
	err := chromedp.Run(ctx,
		enterHoumaHousehold(url),
		chromedp.SendKeys(firstMember("name"), "李明", chromedp.ByQuery),
		chromedp.SendKeys(firstMember("wages"), "1200.50", chromedp.ByQuery),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.WaitVisible(`#result article.card`, chromedp.ByQuery),
		chromedp.SetValue(firstMember("grade"), "3", chromedp.ByQuery), // after the evaluation
		chromedp.Evaluate(`document.querySelector("#result details.record").open`, &folded),
		chromedp.Evaluate(rows, &zh),
		chromedp.Evaluate(`[...document.querySelectorAll("#result details.record h4")].map(h => h.textContent)`, &heads),
		chromedp.Click(`#lang`, chromedp.ByQuery),
		chromedp.Evaluate(rows, &en),
		chromedp.Evaluate(`window.dispatchEvent(new Event("beforeprint")); document.querySelector("#result details.record").open`, &unfolded),
	)
	require.NoError(t, err)
	assert.False(t, folded, "folded on the screen")
	assert.True(t, unfolded, "unfolded for printing")
	require.Len(t, zh, 2, "the household, then its one member")
	assert.Equal(t, []string{"户编号=H-1", "行政区划=141081 侯马市 Houma", "城乡=城镇", "评估日期=2025-06-30", "财产状况=符合", "现享受救助=低保"}, zh[0])
	assert.Equal(t, []string{"姓名=李明", "出生日期=1990-05-01", "是否残疾=是", "残疾类别=智力", "残疾等级=2", "残疾人证有效=是", "工资（元/月）=1200.50"}, zh[1],
		"the grade as evaluated, not as changed since; empty fields left out")
	assert.Equal(t, []string{"成员 M1（李明）"}, heads)
	require.Len(t, en, 2)
	assert.Contains(t, en[0], "Assistance received=dibao")
	assert.Contains(t, en[1], "Category=intellectual")
	assert.Contains(t, en[1], "Certificate valid=yes")

	yaml := string(household(t, "houma-phase-out.yaml"))
	var title string
	err = chromedp.Run(ctx,
		paste(yaml),
		chromedp.WaitVisible(`#result article.card[data-subject="M3"]`, chromedp.ByQuery),
		chromedp.Text(`#result .summary h2`, &title, chromedp.ByQuery),
		chromedp.Evaluate(rows, &en),
		chromedp.Evaluate(`[...document.querySelectorAll("#result details.record h4")].map(h => h.textContent)`, &heads),
	)
	require.NoError(t, err)
	assert.Contains(t, title, "2025-08-15", "evaluated on its own date, not on the one left in the form (2025-06-30)")
	require.Len(t, en, 4, "a YAML record is taken into the form: the household and its three members")
	assert.Contains(t, en[0], "Household id=HM-2025-0317")
	assert.Equal(t, []string{"member M1 (王建国)", "member M2 (李秀英)", "member M3 (王芳)"}, heads)

	// Should the server not say how it reads the record, a record the form
	// cannot take is shown as pasted.
	var pasted string
	err = chromedp.Run(ctx,
		chromedp.Evaluate(`const f = window.fetch; window.fetch = (u, o) => String(u).startsWith("/v1/validate") ? Promise.reject(new Error("gone")) : f(u, o); true`, nil),
		chromedp.Click(`#submitJSON`, chromedp.ByQuery), // the same text, still in the box
		chromedp.WaitReady(`#result details.record pre`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#result details.record pre").textContent`, &pasted),
	)
	require.NoError(t, err)
	assert.Equal(t, yaml, pasted)
}

// TestCaseworkerPageRemembersJurisdiction: no jurisdiction is chosen for
// the caseworker, and the form is not sent without one; once chosen, the
// page opens with it the next time.
func TestCaseworkerPageRemembersJurisdiction(t *testing.T) {
	ctx, url := openPage(t, httpapi.Options{})
	loaded := chromedp.WaitReady(`#jurisdiction option[value="141081"]`, chromedp.ByQuery)
	var first, again, result string
	var valid bool
	err := chromedp.Run(ctx,
		chromedp.Navigate(url), loaded,
		chromedp.Value(`#jurisdiction`, &first, chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("form").checkValidity()`, &valid),
		chromedp.Click(`#submit`, chromedp.ByQuery),
		chromedp.Text(`#result`, &result, chromedp.ByQuery),
		chromedp.SetValue(`#jurisdiction`, "141081", chromedp.ByQuery),
		chromedp.Evaluate(`document.getElementById("jurisdiction").dispatchEvent(new Event("change")); true`, nil),
		chromedp.Navigate(url), loaded,
		chromedp.Value(`#jurisdiction`, &again, chromedp.ByQuery),
	)
	require.NoError(t, err)
	assert.Equal(t, "", first, "none chosen at first")
	assert.False(t, valid, "the form wants a jurisdiction")
	assert.Empty(t, result, "nothing sent without one")
	assert.Equal(t, "141081", again, "the choice remembered")
}
