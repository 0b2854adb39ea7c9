package rulepack

// The structs in this file mirror the YAML files of a rule pack. They are
// decoded after the file has passed its JSON Schema (schema/*.schema.json),
// so they need no validation of shape here.

// Text is a pair of Chinese and English strings.
type Text struct {
	Zh string `yaml:"zh" json:"zh"`
	En string `yaml:"en" json:"en"`
}

// In returns the text in a language ("zh" or "en"), falling back to the other.
func (t Text) In(lang string) string {
	if lang == "en" && t.En != "" || t.Zh == "" {
		return t.En
	}
	return t.Zh
}

type packSpec struct {
	ID       string `yaml:"id"`
	Version  string `yaml:"version"`
	Name     Text   `yaml:"name"`
	Settings struct {
		AfterPlanPeriod  string `yaml:"after_plan_period"`
		CostBudget       uint64 `yaml:"cost_budget"`
		RuntimeCostLimit uint64 `yaml:"runtime_cost_limit"`
	} `yaml:"settings"`
}

type benefitsSpec struct {
	Benefits []struct {
		Code     string `yaml:"code"`
		Zh       string `yaml:"zh"`
		En       string `yaml:"en"`
		Scope    string `yaml:"scope"`
		Concerns string `yaml:"concerns"`
		// ConcernsLabel names the members Concerns selects.
		ConcernsLabel Text   `yaml:"concerns_label"`
		Description   Text   `yaml:"description"`
		Payment       string `yaml:"payment"`
		PaidAs        string `yaml:"paid_as"`
		// SeparateClaimTo: see Benefit.SeparateClaimTo.
		SeparateClaimTo string `yaml:"separate_claim_to"`
	} `yaml:"benefits"`
	Exclusive []struct {
		Benefits []string `yaml:"benefits"`
		Zh       string   `yaml:"zh"`
		En       string   `yaml:"en"`
		Rules    []string `yaml:"rules"`
	} `yaml:"exclusive"`
}

type jurisdictionsSpec struct {
	Jurisdictions []struct {
		Code     string   `yaml:"code"`
		Zh       string   `yaml:"zh"`
		En       string   `yaml:"en"`
		Province string   `yaml:"province"`
		Level    string   `yaml:"level"`
		Parent   string   `yaml:"parent"`
		Aliases  []string `yaml:"aliases"`
		Areas    []Area   `yaml:"areas"`
		Docs     []string `yaml:"documents"`
	} `yaml:"jurisdictions"`
}

type sourcesSpec struct {
	Documents []struct {
		ID           string      `yaml:"id"`
		Jurisdiction string      `yaml:"jurisdiction"`
		Title        string      `yaml:"title"`
		Issuer       string      `yaml:"issuer"`
		Number       string      `yaml:"number"`
		Date         string      `yaml:"date"`
		Published    string      `yaml:"published"`
		InForce      string      `yaml:"in_force"`
		PlanPeriod   *windowSpec `yaml:"plan_period"`
		EarliestYear int         `yaml:"earliest_year"`
		Script       string      `yaml:"script"`
		Provenance   string      `yaml:"provenance"`
		File         string      `yaml:"file"`
		Raw          string      `yaml:"raw"`
		Excerpt      bool        `yaml:"excerpt"`
		Clean        *CleanSpec  `yaml:"clean"`
		Implements   []string    `yaml:"implements"`
		Notes        string      `yaml:"notes"`
	} `yaml:"documents"`
}

// CleanSpec says which repairs the cleaner applies to a raw document.
type CleanSpec struct {
	Pinyin       bool   `yaml:"pinyin"`
	Mojibake     bool   `yaml:"mojibake"`
	LostWord     string `yaml:"lost_word"`
	StrayEnglish []struct {
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"stray_english"`
}

type windowSpec struct {
	From string `yaml:"from"`
	To   string `yaml:"to"`
}

type declsSpec struct {
	Parameters []struct {
		Name string `yaml:"name"`
		Type string `yaml:"type"`
		Zh   string `yaml:"zh"`
		En   string `yaml:"en"`
		Unit string `yaml:"unit"`
		Doc  string `yaml:"doc"`
	} `yaml:"parameters"`
	Definitions []struct {
		Name  string `yaml:"name"`
		Scope string `yaml:"scope"`
		Zh    string `yaml:"zh"`
		En    string `yaml:"en"`
		Doc   string `yaml:"doc"`
	} `yaml:"definitions"`
}

type citationSpec struct {
	Doc        string `yaml:"doc"`
	Section    string `yaml:"section"`
	Quote      string `yaml:"quote"`
	Provenance string `yaml:"provenance"`
}

type valueSpec struct {
	From       string        `yaml:"from"`
	To         string        `yaml:"to"`
	Value      any           `yaml:"value"`
	Expr       string        `yaml:"expr"`
	Provenance string        `yaml:"provenance"`
	Source     *citationSpec `yaml:"source"`
	Note       string        `yaml:"note"`
}

type valuesSpec struct {
	Jurisdiction string                 `yaml:"jurisdiction"`
	Parameters   map[string][]valueSpec `yaml:"parameters"`
	Definitions  map[string][]valueSpec `yaml:"definitions"`
}

type conditionSpec struct {
	ID   string `yaml:"id"`
	Zh   string `yaml:"zh"`
	En   string `yaml:"en"`
	Expr string `yaml:"expr"`
}

type ruleSpec struct {
	ID           string          `yaml:"id"`
	Benefit      string          `yaml:"benefit"`
	Jurisdiction string          `yaml:"jurisdiction"`
	Modality     string          `yaml:"modality"`
	Effect       string          `yaml:"effect"`
	Scope        string          `yaml:"scope"`
	Concerns     string          `yaml:"concerns"`
	Effective    *windowSpec     `yaml:"effective"`
	Extends      string          `yaml:"extends"`
	Overrides    []string        `yaml:"overrides"`
	Citations    []citationSpec  `yaml:"citations"`
	Conditions   []conditionSpec `yaml:"conditions"`
	Amount       *struct {
		Expr     string `yaml:"expr"`
		Rounding string `yaml:"rounding"`
		Per      string `yaml:"per"`
	} `yaml:"amount"`
	Period *struct {
		Start  string `yaml:"start"`
		Months string `yaml:"months"`
		Within string `yaml:"within"`
	} `yaml:"period"`
	Remarks *Text  `yaml:"remarks"`
	Notes   string `yaml:"notes"`
}

type rulesSpec struct {
	Rules []ruleSpec `yaml:"rules"`
}
