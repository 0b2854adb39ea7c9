package household

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"entitle/engine/internal/docpos"
	"entitle/engine/money"
)

// SchemaJSON is the published JSON Schema of the household record.
//
//go:embed household.schema.json
var SchemaJSON []byte

// printer renders the schema library's messages in English.
var printer = message.NewPrinter(language.English)

// MaxRecordBytes is the largest record Decode accepts.
const MaxRecordBytes = 1 << 20

var (
	schemaOnce sync.Once
	schema     *jsonschema.Schema
	schemaErr  error
)

// Schema returns the compiled household schema.
func Schema() (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
		if err != nil {
			schemaErr = err
			return
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("household.schema.json", doc); err != nil {
			schemaErr = err
			return
		}
		schema, schemaErr = c.Compile("household.schema.json")
	})
	return schema, schemaErr
}

// Format is the syntax of an input record.
type Format int

// The input formats. FormatAuto looks at the first non-blank character.
const (
	FormatAuto Format = iota
	FormatJSON
	FormatYAML
)

// DecodeOptions tune Decode.
type DecodeOptions struct {
	// File names the input in error messages.
	File string
	// Record is the 1-based record number within a batch, if any.
	Record int
	// Format of the input; FormatAuto detects it.
	Format Format
}

// Positions locates field paths in the source text of one record.
type Positions struct {
	file   string
	record int
	at     docpos.Map
}

// Locate returns the line and column of a field path, or of its nearest
// enclosing field that has a position.
func (p *Positions) Locate(field string) (line, col int) {
	if p == nil {
		return 0, 0
	}
	q := p.at.Locate(field)
	return q.Line, q.Col
}

// Place fills in the file, record, line and column of each error from its field.
func (p *Positions) Place(es Errors) Errors {
	for _, e := range es {
		if p == nil {
			continue
		}
		if e.File == "" {
			e.File = p.file
		}
		if e.Record == 0 {
			e.Record = p.record
		}
		if e.Line == 0 {
			e.Line, e.Column = p.Locate(e.Field)
		}
	}
	es.Sort()
	return es
}

// Decode reads one household record in JSON or YAML, validates it against
// the published schema, and returns it with the positions of its fields. Any
// error is an Errors list naming file, line, column and field.
func Decode(data []byte, opts DecodeOptions) (*Household, *Positions, error) {
	fail := func(line, col int, field string, code Code, en, zh string) (*Household, *Positions, error) {
		return nil, nil, Errors{{File: opts.File, Record: opts.Record, Line: line, Column: col, Field: field, Code: code, Msg: en, Zh: zh}}
	}
	if len(data) > MaxRecordBytes {
		return fail(0, 0, "", CodeTooLarge, fmt.Sprintf("record is %d bytes; the limit is %d", len(data), MaxRecordBytes),
			fmt.Sprintf("记录有 %d 字节，超过上限 %d 字节", len(data), MaxRecordBytes))
	}
	if e := NotUTF8(data); e != nil {
		return fail(e.Line, e.Column, "", e.Code, e.Msg, e.Zh)
	}
	format := opts.Format
	if format == FormatAuto {
		format = FormatYAML
		if t := bytes.TrimLeft(data, " \t\r\n\ufeff"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			format = FormatJSON
		}
	}
	positions := &Positions{file: opts.File, record: opts.Record}
	var inst any
	switch format {
	case FormatJSON:
		data = bytes.TrimPrefix(data, []byte("\ufeff"))
		at, err := docpos.FromJSON(data)
		if err != nil {
			var je *docpos.JSONError
			errors.As(err, &je)
			zh := je.Zh
			if zh == "" {
				zh = je.Msg
			}
			return fail(je.Pos.Line, je.Pos.Col, "", CodeSyntax, "malformed JSON: "+je.Msg, WithDetail("JSON 格式错误", zh))
		}
		positions.at = at
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return fail(0, 0, "", CodeSyntax, "malformed JSON: "+err.Error(), WithDetail("JSON 格式错误", err.Error()))
		}
		inst = v
	case FormatYAML:
		var root yaml.Node
		if err := yaml.Unmarshal(data, &root); err != nil {
			detail := strings.TrimPrefix(err.Error(), "yaml: ")
			return fail(docpos.YAMLErrorLine(err), 1, "", CodeSyntax, "malformed YAML: "+detail, WithDetail("YAML 格式错误", detail))
		}
		if root.Kind == 0 || len(root.Content) == 0 {
			return fail(1, 1, "", CodeSyntax, "the input is empty", "输入为空")
		}
		keepDigits(&root)
		v, at, err := docpos.FromYAML(&root)
		if err != nil {
			var pe *docpos.Error
			if errors.As(err, &pe) {
				code, zh := CodeSyntax, WithDetail("格式错误", pe.Msg)
				if strings.Contains(pe.Msg, "too many") {
					code, zh = CodeTooLarge, WithDetail("记录过大", pe.Msg)
				}
				return fail(pe.Pos.Line, pe.Pos.Col, pe.Path, code, pe.Msg, zh)
			}
			return fail(0, 0, "", CodeSyntax, err.Error(), WithDetail("格式错误", err.Error()))
		}
		positions.at = at
		inst = v
	}
	return decodeValue(inst, positions.at, opts)
}

// decodeValue validates a generic value against the schema and decodes it.
func decodeValue(inst any, at docpos.Map, opts DecodeOptions) (*Household, *Positions, error) {
	fail := func(line, col int, field string, code Code, err error) (*Household, *Positions, error) {
		e := problemOf(field, code, err)
		e.File, e.Record, e.Line, e.Column = opts.File, opts.Record, line, col
		return nil, nil, Errors{e}
	}
	positions := &Positions{file: opts.File, record: opts.Record, at: at}
	normalizeGeneric(inst, "")
	if _, ok := inst.(map[string]any); !ok {
		return fail(1, 1, "", CodeSchema, Errorf("a household record must be an object with jurisdiction and members (and id, if it has one)",
			"一户的记录应是一个对象（键值），含 jurisdiction（行政区划）和 members（成员），有户编号的另含 id"))
	}
	sch, err := Schema()
	if err != nil {
		return nil, nil, fmt.Errorf("household schema: %w", err)
	}
	var es Errors
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, nil, err
		}
		es = schemaErrors(ve)
	}
	es = append(es, formatErrors(inst, "")...)
	if len(es) > 0 {
		return nil, nil, positions.Place(dedupe(es))
	}
	normalizeFlags(inst)
	if es := noDisability(inst); len(es) > 0 {
		return nil, nil, positions.Place(es)
	}
	jsonText, err := json.Marshal(inst)
	if err != nil {
		return fail(0, 0, "", CodeSyntax, withZh(err, "记录无法读取"))
	}
	h, err := decodeTyped(jsonText)
	if err != nil {
		return fail(0, 0, "", CodeSchema, withZh(err, "记录无法读取"))
	}
	NameMembers(h)
	return h, positions, nil
}

// DecodeNode decodes a record held in a YAML node of a larger file (a test
// case, say). Positions are those of the node in that file.
func DecodeNode(n *yaml.Node, opts DecodeOptions) (*Household, *Positions, error) {
	keepDigits(n)
	v, at, err := docpos.FromYAML(n)
	if err != nil {
		return nil, nil, Errors{{File: opts.File, Code: CodeSyntax, Msg: err.Error(), Zh: WithDetail("格式错误", err.Error())}}
	}
	return decodeValue(v, at, opts)
}

// DecodeGeneric decodes a record given as generic values (maps, slices,
// json.Number…), with positions from the file it came from (at may be nil).
func DecodeGeneric(v any, at docpos.Map, opts DecodeOptions) (*Household, *Positions, error) {
	if at == nil {
		at = docpos.Map{}
	}
	return decodeValue(v, at, opts)
}

// DecodeJSONFast decodes a JSON record straight into the Go types with the
// same strictness as the schema for structure (unknown fields, types). It is
// the batch path; when it fails, call Decode for a located explanation.
// Members without an id are named as Decode names them (NameMembers).
func DecodeJSONFast(data []byte) (*Household, error) {
	h, err := decodeFast(data)
	if err != nil {
		return nil, err
	}
	NameMembers(h)
	return h, nil
}

func decodeTyped(data []byte) (*Household, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var h Household
	if err := dec.Decode(&h); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value in the record")
	}
	return &h, nil
}

func dedupe(es Errors) Errors {
	seen := map[string]bool{}
	out := es[:0]
	for _, e := range es {
		k := e.Field + "\x00" + string(e.Code)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}

// Field names by value kind, for located format checks and messages.
var (
	moneyFields = map[string]bool{"wages": true, "business": true, "pension": true, "living_allowance": true,
		"care_subsidy": true, "other_assistance": true, "other": true, "costs": true, "per_capita_income": true}
	dateFields = map[string]bool{"birth_date": true, "as_of": true}
	// flagFields are the yes-or-no fields (the schema's $defs/flag).
	flagFields = map[string]bool{"hardship_assessed": true, "dilapidated": true, "can_self_fund": true,
		"seeking_public_rental": true, "needs_accessibility_renovation": true, "disabled": true,
		"stable_work_income": true, "orphan_guarantee": true, "work_injury_care_allowance": true,
		"other_welfare_subsidy": true, "family_support": true, "tekun": true, "certificate_valid": true,
		"lower_limb": true, "autism": true, "needed": true, "long_term": true, "sheltered": true, "resident_pension": true,
		"resident_medical": true, "in_internship": true, "economic_hardship": true}
)

// digitFields are the text fields that are often all digits: ids, the
// jurisdiction code, citizen IDs, certificate numbers (and a name left as a
// number). YAML reads an unquoted 141081 as a number, and a 20-digit
// certificate number as a float that loses digits; keepDigits reads them as
// the text written, as YAML itself does for a Go string field.
var digitFields = map[string]bool{"id": true, "jurisdiction": true, "citizen_id": true, "certificate_no": true, "name": true}

// keepDigits marks each plain number at a digitFields key of a YAML record
// as a string, keeping its text as written.
func keepDigits(n *yaml.Node) {
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			keepDigits(c)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.ScalarNode && v.Style == 0 && digitFields[k.Value] && (v.Tag == "!!int" || v.Tag == "!!float") {
				v.Tag = "!!str"
			}
			keepDigits(v)
		}
	}
}

// normalizeFlags replaces, in a generic record the schema has accepted, each
// yes-or-no field written 是 or 否 by true or false.
func normalizeFlags(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			if s, ok := val.(string); ok && flagFields[k] {
				if b, ok := ParseFlag(s); ok {
					t[k] = b
				}
				continue
			}
			normalizeFlags(val)
		}
	case []any:
		for _, val := range t {
			normalizeFlags(val)
		}
	}
}

// noDisability reads a member's disability written as the text that says
// there is none (IsNoDisability) as disabled: false, in the generic value
// whose flags normalizeFlags has read, and refuses it beside disabled: true.
func noDisability(v any) Errors {
	var es Errors
	root, _ := v.(map[string]any)
	members, _ := root["members"].([]any)
	for i, x := range members {
		m, _ := x.(map[string]any)
		if s, ok := m["disability"].(string); !ok || !IsNoDisability(s) {
			continue
		}
		switch m["disabled"] {
		case nil:
			delete(m, "disability")
			m["disabled"] = false
		case false:
			delete(m, "disability")
		default:
			es = append(es, problem(docpos.Join(docpos.Index("members", i), "disability"), CodeContradiction,
				noDisabilityButDisabled, noDisabilityButDisabledZh, m["disability"]))
		}
	}
	return es
}

// formatErrors checks dates, months and amounts in the generic value, which
// the schema can only check by pattern.
func formatErrors(v any, path string) Errors {
	var es Errors
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			child := docpos.Join(path, k)
			switch {
			case moneyFields[k] && val != nil:
				var s string
				switch n := val.(type) {
				case json.Number:
					s = string(n)
				case string:
					s = n
				default:
					continue
				}
				if _, err := money.ParseYuan(s); err != nil {
					es = append(es, &Error{Field: child, Code: CodeMoney, Msg: fmt.Sprintf("%q: %v", s, err), Zh: fmt.Sprintf("%q：%s", s, ZhMessage(err))})
				}
			case dateFields[k]:
				if s, ok := val.(string); ok {
					if _, err := ParseDate(s); err != nil {
						es = append(es, problemOf(child, CodeDate, err))
					}
				}
			case k == "month":
				if s, ok := val.(string); ok {
					if _, err := ParseMonth(s); err != nil {
						es = append(es, problemOf(child, CodeDate, err))
					}
				}
			default:
				es = append(es, formatErrors(val, child)...)
			}
		}
	case []any:
		for i, val := range t {
			es = append(es, formatErrors(val, docpos.Index(path, i))...)
		}
	}
	return es
}

// schemaErrors flattens a validation error into located, coded problems.
func schemaErrors(ve *jsonschema.ValidationError) Errors {
	var es Errors
	var visit func(e *jsonschema.ValidationError)
	visit = func(e *jsonschema.ValidationError) {
		field := docpos.TokensPath(e.InstanceLocation)
		last := ""
		if n := len(e.InstanceLocation); n > 0 {
			last = e.InstanceLocation[n-1]
		}
		// Amounts and dates are anyOf schemas; report them once, plainly.
		if moneyFields[last] {
			en, zh := sign(last)
			es = append(es, &Error{Field: field, Code: CodeMoney, Msg: "must be an amount of yuan with at most two decimals, e.g. 812.50" + en,
				Zh: "应为以元计的金额，最多两位小数，例如 812.50" + zh})
			return
		}
		if dateFields[last] {
			x := problem(field, CodeDate, "must be a date: "+DateForms, "应为日期："+DateFormsZh)
			if gotNumber(e) { // YAML reads 19581102 unquoted as a number
				x.Msg += `; write it in quotes, e.g. "19581102"`
				x.Zh += `；请加引号写成文字，例如 "19581102"`
			}
			es = append(es, x)
			return
		}
		if last == "grade" && len(e.Causes) > 0 {
			got := displayValue(gotValue(e))
			en, zh := gradeHint(got)
			es = append(es, problem(field, CodeGrade, gradeRule+"; got %s"+en, gradeRuleZh+"；填写的是 %s"+zh, got))
			return
		}
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				visit(c)
			}
			return
		}
		switch k := e.ErrorKind.(type) {
		case *kind.Required:
			for _, m := range k.Missing {
				es = append(es, problem(docpos.Join(field, m), CodeRequired, "required field %q is missing", "缺少必填字段 %q", m))
			}
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				x := problem(docpos.Join(field, p), CodeUnknownField, "unknown field %q", "格式中没有字段 %q", p)
				switch s, en, zh := suggestField(e.InstanceLocation, p); {
				case s != "":
					if en != "" {
						en = " " + en
					}
					x.Msg += fmt.Sprintf(" (did you mean %q?%s)", s, en)
					x.Zh += fmt.Sprintf("（是否应为 %q？%s）", s, zh)
				case en != "":
					x.Msg += " (" + en + ")"
					x.Zh += "（" + zh + "）"
				}
				es = append(es, x)
			}
		case *kind.Minimum:
			got, _ := k.Got.Float64()
			want, _ := k.Want.Float64()
			es = append(es, &Error{Field: field, Code: CodeSchema, Msg: e.ErrorKind.LocalizedString(printer), Zh: fmt.Sprintf("应不小于 %v，填写的是 %v", want, got)})
		case *kind.Maximum:
			got, _ := k.Got.Float64()
			want, _ := k.Want.Float64()
			es = append(es, &Error{Field: field, Code: CodeSchema, Msg: e.ErrorKind.LocalizedString(printer), Zh: fmt.Sprintf("应不大于 %v，填写的是 %v", want, got)})
		case *kind.Type:
			x := &Error{Field: field, Code: CodeSchema, Msg: e.ErrorKind.LocalizedString(printer),
				Zh: "应为" + typesZh(k.Want) + "，填写的是" + typesZh([]string{k.Got})}
			if slices.Contains(k.Want, "array") && k.Got != "object" {
				example := "[…]"
				if last == "status" {
					example = "[dibao]"
				}
				x.Msg += "; a single item is written as a list too, e.g. " + example
				x.Zh += "；只有一项也写成列表，例如 " + example
			}
			if k.Got == "string" && slices.Contains(k.Want, "integer") && !slices.Contains(k.Want, "string") {
				x.Msg += "; write the number alone, without quotes or a unit"
				x.Zh += "；只写数字，不加引号或单位"
			}
			if example, ok := objectExamples[last]; ok && k.Got != "object" && slices.Contains(k.Want, "object") {
				x.Msg += "; its facts go inside it, e.g. " + last + ": " + example
				x.Zh += "；各项写在其中，例如 " + last + ": " + example
			}
			if last == "disability" && k.Got == "boolean" {
				x.Msg += "; for a member with no disability write disabled: false, or disability: 无"
				x.Zh += "；没有残疾的成员写 disabled: false，或 disability: 无"
			}
			if example, ok := quotedCodes[last]; ok && k.Got == "number" && slices.Contains(k.Want, "string") {
				x.Msg += fmt.Sprintf(`; write it in quotes, e.g. "%s"%s`, example.code, example.en)
				x.Zh += fmt.Sprintf(`；请加引号写成文字，例如 "%s"%s`, example.code, example.zh)
			}
			es = append(es, x)
		case *kind.Enum:
			if flagFields[last] {
				es = append(es, problem(field, CodeSchema, flagRule+"; got %s", flagRuleZh+"；填写的是 %s", displayValue(k.Got)))
				break
			}
			code := CodeEnum
			if last == "category" {
				code = CodeCategory
			}
			var allowed []string
			for _, v := range k.Want {
				if v != nil {
					allowed = append(allowed, fmt.Sprint(v))
				}
			}
			if got, ok := k.Got.(string); ok && enumField(enumPath(field)) != nil {
				en, zh := refusedValue(enumPath(field), got)
				es = append(es, problem(field, code, "%[1]s", "%[2]s", en, zh))
				break
			}
			es = append(es, problem(field, code, "%v is not one of: %s", "%v 不在允许的取值中：%s", displayValue(k.Got), strings.Join(allowed, ", ")))
		case *kind.Pattern:
			msg := e.ErrorKind.LocalizedString(printer)
			x := &Error{Field: field, Code: CodeSchema, Msg: msg, Zh: WithDetail("格式不对", msg)}
			switch last {
			case "citizen_id":
				x = problem(field, CodeCitizenID, "a citizen ID has 17 digits and a check character (digit or X)", "公民身份号码应为 17 位数字加 1 位校验码（数字或 X）")
				if scientific(k.Got) {
					x = problem(field, CodeCitizenID, "%q is a number in scientific notation, as a spreadsheet shows a long number kept as a number: its last digits are lost; format the column as text and enter the ID again",
						"%q 是科学计数法的数字，电子表格把长号码按数值保存时就会这样显示，末几位已经丢失；请把该列设为文本格式后重新填写身份证号", k.Got)
				}
			case "jurisdiction":
				x = problem(field, CodeJurisdiction, badJurisdictionEn, badJurisdictionZh)
			case "month":
				x = problem(field, CodeDate, "must be a month: "+MonthForms, "应为月份："+MonthFormsZh)
			case "disability":
				x = problem(field, CodeSchema, disabilityTextRule+"; got %q", disabilityTextRuleZh+"；填写的是 %q", k.Got)
			}
			es = append(es, x)
		case *kind.MinItems:
			es = append(es, problem(field, CodeRequired, "a household needs at least one member", "一户至少要有一位成员"))
		case *kind.UniqueItems:
			es = append(es, problem(field, CodeSchema, "a value is listed twice", "同一个值列了两次"))
		case *kind.Const:
			es = append(es, problem(field, CodeSchema, "must be %v", "应为 %v", k.Want))
		default:
			msg := e.ErrorKind.LocalizedString(printer)
			es = append(es, &Error{Field: field, Code: CodeSchema, Msg: msg, Zh: WithDetail("不符合格式要求", msg)})
		}
	}
	visit(ve)
	return es
}

func displayValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// sign ends the message for an amount that cannot be negative, in English
// and in Chinese.
func sign(field string) (en, zh string) {
	if field == "business" || field == "other" || field == "per_capita_income" {
		return "", ""
	}
	return ", not negative", "，不能为负数"
}

// gotValue finds the value a failed anyOf was given, from its enum branch.
func gotValue(e *jsonschema.ValidationError) any {
	for _, c := range e.Causes {
		if k, ok := c.ErrorKind.(*kind.Enum); ok {
			return k.Got
		}
	}
	return "?"
}

// gotNumber reports whether the value an error is about is a number, as a
// cause of the error (one branch of an anyOf, say) found.
func gotNumber(e *jsonschema.ValidationError) bool {
	if k, ok := e.ErrorKind.(*kind.Type); ok && (k.Got == "number" || k.Got == "integer") {
		return true
	}
	for _, c := range e.Causes {
		if gotNumber(c) {
			return true
		}
	}
	return false
}

// objectExamples show the fields that hold an object, for the problem of
// one given a single value (income: 300).
var objectExamples = map[string]string{
	"income":     "{wages: 300, pension: 0}",
	"disability": "{category: 肢体, grade: 2}",
	"care":       "{needed: true, months: 12}",
	"employment": "{status: employed}",
	"insurance":  "{resident_pension: true}",
	"education":  "{stage: primary}",
	"housing":    "{dilapidated: true}",
}

// quotedCodes are the fields whose digits are a code, not a number: given
// as a JSON number, the hint shows them in quotes (a number of 18 digits
// also loses its last ones).
var quotedCodes = map[string]struct{ code, en, zh string }{
	"jurisdiction":   {"141081", "", ""},
	"citizen_id":     {"141081197503120015", " (as a number its last digits are lost)", "（写成数字会丢失末几位）"},
	"certificate_no": {"14108120030920002452", " (as a number its last digits are lost)", "（写成数字会丢失末几位）"},
}

// scientific reports whether s is a number in scientific notation
// (2.10882196606E+17), as a spreadsheet shows a long number kept as a number.
func scientific(s string) bool {
	mant, exp, ok := strings.Cut(strings.ToUpper(s), "E")
	mant = strings.Replace(mant, ".", "", 1)
	exp = strings.TrimPrefix(exp, "+")
	_, mantOK := digits(mant)
	_, expOK := digits(exp)
	return ok && mant != "" && exp != "" && mantOK && expOK
}
