// Package rulepack loads a rule pack (YAML rules with CEL conditions, dated
// parameters and definitions, cleaned source documents), validates every
// file against its JSON Schema, checks every citation against the source
// text, and compiles every expression once.
//
// A pack is a directory (or any fs.FS) laid out as:
//
//	pack.yaml              id, version, settings
//	benefits.yaml          the benefit codes
//	jurisdictions.yaml     the areas covered, with their documents
//	parameters.yaml        parameter and definition declarations
//	sources/sources.yaml   the documents, and sources/*.txt their texts
//	**/values.yaml         dated parameter and definition values per jurisdiction
//	**/*.rules.yaml        rules
//	**/*.test.yaml         test cases for `entitle test`
package rulepack

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"entitle/engine/household"
	"entitle/engine/money"
)

// Benefit returns the benefit with a code.
func (p *Pack) Benefit(code string) (*Benefit, bool) {
	b, ok := p.benefitByCode[code]
	return b, ok
}

// Rule returns the rule with an id.
func (p *Pack) Rule(id string) (*Rule, bool) {
	r, ok := p.ruleByID[id]
	return r, ok
}

// Document returns the document with an id.
func (p *Pack) Document(id string) (*Document, bool) {
	d, ok := p.docByID[id]
	return d, ok
}

// Jurisdiction returns the jurisdiction with a GB/T 2260 code.
func (p *Pack) Jurisdiction(code string) (*Jurisdiction, bool) {
	j, ok := p.jurByCode[code]
	return j, ok
}

// ResolveJurisdiction finds the jurisdiction a record names, by its GB/T 2260
// code or by one of its names: the Chinese name (临清市) or a Chinese alias
// the pack lists (临清), alone or after the parent city (聊城市临清市) or
// the province (山东省临清市), each in full or short (山东聊城临清市); or
// the English name in any case (Linqing). Spaces around the name are
// ignored, and inside a Chinese one (山东省 临清市).
//
// A code may also name an area inside a jurisdiction, by the structure of
// the codes: a township's 9-digit or a village's 12-digit statistical code
// (统计用区划代码) begins with its county's six digits (141081100 is in
// 141081), and a county's code begins with its prefecture's four, so that a
// prefecture-level city the pack covers (150700 呼伦贝尔市, whose opinions
// apply in each of its 旗市区) also covers 150702 and 150781. A county the
// pack covers itself is its own jurisdiction.
//
// A name may likewise name an area inside a jurisdiction as an address
// writes it: one of the jurisdiction's Chinese names followed by the name of
// an area ending in 区, 县, 旗, 市, 镇, 乡, 街道, 苏木, 嘎查, 村 or 社区
// (呼伦贝尔市海拉尔区, 临清市先锋路街道). The area's own name is not
// checked, unless the jurisdiction lists it among its Areas: then it names
// the jurisdiction alone too (海拉尔区, or 海拉尔 without 区 or 市), and may
// begin an address itself (海拉尔区胜利街道).
func (p *Pack) ResolveJurisdiction(s string) (*Jurisdiction, bool) {
	if j, ok := p.jurByCode[s]; ok {
		return j, true
	}
	if household.IsAreaCode(s) {
		return p.resolveCode(s)
	}
	key := jurisdictionKey(s)
	if j, ok := p.jurByName[key]; ok {
		return j, true
	}
	return p.resolveContained(key)
}

// resolveCode finds the jurisdiction an area code (household.IsAreaCode)
// lies in: a 9- or 12-digit code by its county's six digits, a county by
// its prefecture (xxxx00).
func (p *Pack) resolveCode(s string) (*Jurisdiction, bool) {
	if len(s) > 6 {
		s = s[:6]
		if j, ok := p.jurByCode[s]; ok {
			return j, true
		}
	}
	if s[2:4] == "00" || s[4:] == "00" {
		return nil, false // not a county's code (a province's, or a prefecture not covered)
	}
	j, ok := p.jurByCode[s[:4]+"00"]
	return j, ok
}

// resolveContained finds the jurisdiction whose Chinese name begins an
// address-like key (呼伦贝尔市海拉尔区), the rest of which names an area in
// it (isAreaName). The longest name that fits wins.
func (p *Pack) resolveContained(key string) (*Jurisdiction, bool) {
	var found *Jurisdiction
	longest := 0
	for _, n := range p.jurPrefixes {
		rest, ok := strings.CutPrefix(key, n.name)
		if ok && len(n.name) > longest && isAreaName(rest) {
			found, longest = n.jur, len(n.name)
		}
	}
	return found, found != nil
}

// areaSuffixes end the names of the areas inside a county or a prefecture:
// districts, counties, banners (旗) and county-level cities; towns,
// townships, subdistricts and sumu (苏木); villages, gacha (嘎查) and
// residents' communities.
var areaSuffixes = []string{"区", "县", "旗", "市", "镇", "乡", "街道", "苏木", "嘎查", "村", "社区"}

// isAreaName reports whether s may be the name of an area inside a
// jurisdiction: Chinese characters only, at least two of them, ending in one
// of areaSuffixes.
func isAreaName(s string) bool {
	if utf8.RuneCountInString(s) < 2 || !allHan(s) {
		return false
	}
	for _, suf := range areaSuffixes {
		if strings.HasSuffix(s, suf) {
			return true
		}
	}
	return false
}

// jurName is one name a record may give for a jurisdiction, with the field
// of jurisdictions.yaml it rests on (for the loader's diagnostics).
type jurName struct {
	name  string
	field string
	jur   *Jurisdiction
}

// names lists the names a record may give for j: the Chinese name, each
// Chinese alias and each of its Areas' names (a district's or a city's also
// without 区 or 市), alone, after the parent city, after the province, and
// after both, each of these in full (山东省, 聊城市) or short (山东, 聊城);
// then the English name and any alias not in Chinese. A name not given is
// left out.
func (j *Jurisdiction) names() []jurName {
	bases := []jurName{{name: j.Name.Zh, field: "zh"}}
	var others []jurName
	for i, a := range j.Aliases {
		n := jurName{name: a, field: fmt.Sprintf("aliases[%d]", i)}
		if hasHan(a) {
			bases = append(bases, n)
		} else {
			others = append(others, n)
		}
	}
	for i, a := range j.Areas {
		field := fmt.Sprintf("areas[%d].zh", i)
		bases = append(bases, jurName{name: a.Zh, field: field})
		// A district or a county-level city without its suffix, as people
		// say it (海拉尔, 满洲里); a banner's short forms (莫旗) are not
		// made by rule, and a name of one character left is no name.
		if short := shortName(a.Zh, "区", "市"); short != a.Zh && utf8.RuneCountInString(short) >= 2 {
			bases = append(bases, jurName{name: short, field: field})
		}
	}
	provinces := prefixForms(j.Province, "省", "自治区")
	parents := prefixForms(j.Parent, "市")
	var out []jurName
	for _, pv := range provinces {
		for _, pa := range parents {
			for _, b := range bases {
				if b.name == "" || pa != "" && strings.HasPrefix(b.name, shortName(j.Parent, "市")) {
					continue // 宁波市奉化区 already names its parent
				}
				out = append(out, jurName{name: pv + pa + b.name, field: b.field, jur: j})
			}
		}
	}
	if j.Name.En != "" {
		out = append(out, jurName{name: j.Name.En, field: "en", jur: j})
	}
	for _, o := range others {
		o.jur = j
		out = append(out, o)
	}
	return out
}

// prefixForms lists the ways a record may write an area above a
// jurisdiction before its name: not at all, in full, or without its
// suffix (山东省, 山东; 内蒙古自治区, 内蒙古; 聊城市, 聊城).
func prefixForms(full string, suffixes ...string) []string {
	if full == "" {
		return []string{""}
	}
	forms := []string{"", full}
	if short := shortName(full, suffixes...); short != full && short != "" {
		forms = append(forms, short)
	}
	return forms
}

// shortName is a name without the first of suffixes it ends in.
func shortName(full string, suffixes ...string) string {
	for _, suf := range suffixes {
		if short, ok := strings.CutSuffix(full, suf); ok {
			return short
		}
	}
	return full
}

// hasHan reports whether s holds a Chinese character.
func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// allHan reports whether s holds nothing but Chinese characters.
func allHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) < 0
}

// jurisdictionKey is how names are compared: without surrounding spaces,
// in lower case (for the English names), and a Chinese name without spaces
// inside it either (山东省 临清市).
func jurisdictionKey(s string) string {
	if hasHan(s) {
		return strings.ToLower(strings.Join(strings.Fields(s), ""))
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// HasJurisdiction reports whether the pack covers a code.
func (p *Pack) HasJurisdiction(code string) bool {
	_, ok := p.jurByCode[code]
	return ok
}

// Param returns the parameter declaration with a name.
func (p *Pack) Param(name string) (*ParamDecl, bool) {
	d, ok := p.paramByName[name]
	return d, ok
}

// Def returns the definition declaration with a name.
func (p *Pack) Def(name string) (*DefDecl, bool) {
	d, ok := p.defByName[name]
	return d, ok
}

// ValueName names an example value as results list it (Result.ExampleValues):
// a parameter by its name, a definition as "def." and its name. It returns
// the declaration's label, or false for a code the pack does not declare.
func (p *Pack) ValueName(code string) (Text, bool) {
	if name, ok := strings.CutPrefix(code, "def."); ok {
		if d, ok := p.defByName[name]; ok {
			return d.Text, true
		}
		return Text{}, false
	}
	if d, ok := p.paramByName[code]; ok {
		return d.Text, true
	}
	return Text{}, false
}

// ValueNames names a list of example values in both languages, joined with
// "；" and "; " (the names themselves hold 、 and commas). A code the pack
// does not declare is shown as it is.
func (p *Pack) ValueNames(codes []string) Text {
	var zh, en strings.Builder
	for i, c := range codes {
		t, ok := p.ValueName(c)
		if !ok {
			t = Text{Zh: c, En: c}
		}
		if i > 0 {
			zh.WriteString("；")
			en.WriteString("; ")
		}
		zh.WriteString(t.Zh)
		en.WriteString(t.En)
	}
	return Text{Zh: zh.String(), En: en.String()}
}

// ParamValue returns the value of a parameter in force on a date in a
// jurisdiction, falling back to the national value.
func (p *Pack) ParamValue(jurisdiction, name string, on time.Time) (*ParamValue, bool) {
	for _, j := range [2]string{jurisdiction, "national"} {
		for _, v := range p.values[j][name] {
			if v.Window.Contains(on) {
				return v, true
			}
		}
	}
	return nil, false
}

// ParamValues returns every dated value of a parameter in one jurisdiction
// (without the national fallback).
func (p *Pack) ParamValues(jurisdiction, name string) []*ParamValue {
	return p.values[jurisdiction][name]
}

// DefValue returns the meaning of a definition in force on a date in a
// jurisdiction, falling back to the national one.
func (p *Pack) DefValue(jurisdiction, name string, on time.Time) (*DefValue, bool) {
	for _, j := range [2]string{jurisdiction, "national"} {
		for _, v := range p.defValues[j][name] {
			if v.Window.Contains(on) {
				return v, true
			}
		}
	}
	return nil, false
}

// DefValues returns every dated meaning of a definition in one jurisdiction.
func (p *Pack) DefValues(jurisdiction, name string) []*DefValue {
	return p.defValues[jurisdiction][name]
}

// RulesFor returns the rules that may apply to a benefit in a jurisdiction:
// the national ones and the jurisdiction's own, in pack order.
func (p *Pack) RulesFor(jurisdiction, benefit string) []*Rule {
	return p.byJurBenefit[jurisdiction][benefit]
}

// ParamJurisdictions lists the jurisdictions (and "national") that give
// values for parameters or definitions.
func (p *Pack) ParamJurisdictions() []string {
	return sortedKeys(p.values)
}

// ParamSource reads a jurisdiction's parameters on a date, falling back to
// the national values: what engine/facts needs (facts.Params) to derive the
// facts that rest on parameters.
type ParamSource struct {
	Pack         *Pack
	Jurisdiction string
}

// Money returns a money parameter.
func (s ParamSource) Money(name string, on time.Time) (money.Fen, bool) {
	v, ok := s.Pack.ParamValue(s.Jurisdiction, name, on)
	if !ok {
		return 0, false
	}
	return v.Money, true
}

// Int returns an integer parameter.
func (s ParamSource) Int(name string, on time.Time) (int64, bool) {
	v, ok := s.Pack.ParamValue(s.Jurisdiction, name, on)
	if !ok {
		return 0, false
	}
	return v.Int, true
}

// Rate returns a rate parameter.
func (s ParamSource) Rate(name string, on time.Time) (float64, bool) {
	v, ok := s.Pack.ParamValue(s.Jurisdiction, name, on)
	if !ok {
		return 0, false
	}
	return v.Rate, true
}
