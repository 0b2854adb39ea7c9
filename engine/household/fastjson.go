package household

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"entitle/engine/money"
)

// A hand-written decoder for the batch path: a household record is decoded
// straight into the Go types, without reflection, in one pass. It is as
// strict as the schema about structure (unknown fields, wrong types); on any
// doubt it fails, and the caller uses Decode for a located explanation.
// FuzzDecodeJSONFast checks it against encoding/json.

// jsonLexer reads one JSON value.
type jsonLexer struct {
	b []byte
	i int
	// Slabs the record's small values are cut from: one allocation each
	// instead of one per field.
	bools []bool
	fens  []money.Fen
	ints  []int
	dates []Date
	parts []memberParts
}

// memberParts holds a member's optional objects, allocated together.
type memberParts struct {
	disability Disability
	care       Care
	income     Income
	employment Employment
	insurance  Insurance
	education  Education
}

// newParts returns room for one member's optional objects.
func (l *jsonLexer) newParts() *memberParts {
	if len(l.parts) == cap(l.parts) {
		l.parts = make([]memberParts, 0, 3)
	}
	l.parts = l.parts[:len(l.parts)+1]
	return &l.parts[len(l.parts)-1]
}

func (l *jsonLexer) newBool(v bool) *bool {
	if len(l.bools) == cap(l.bools) {
		l.bools = make([]bool, 0, 64)
	}
	l.bools = append(l.bools, v)
	return &l.bools[len(l.bools)-1]
}

func (l *jsonLexer) newFen(v money.Fen) *money.Fen {
	if len(l.fens) == cap(l.fens) {
		l.fens = make([]money.Fen, 0, 32)
	}
	l.fens = append(l.fens, v)
	return &l.fens[len(l.fens)-1]
}

func (l *jsonLexer) newInt(v int) *int {
	if len(l.ints) == cap(l.ints) {
		l.ints = make([]int, 0, 16)
	}
	l.ints = append(l.ints, v)
	return &l.ints[len(l.ints)-1]
}

// internedStrings are the strings records repeat (enum values, codes,
// field names, member ids): decoding one of them allocates nothing.
var internedStrings = func() []string {
	list := []string{"urban", "rural", "pass", "fail", "210882", "330213", "141081", "150700", "371581",
		// field names
		"$schema", "schema_version", "id", "jurisdiction", "residence", "as_of", "status", "property_test", "hardship_assessed",
		"income_history", "month", "per_capita_income", "housing", "dilapidated", "can_self_fund", "seeking_public_rental",
		"needs_accessibility_renovation", "members", "name", "citizen_id", "relation", "birth_date", "age", "disabled", "disability",
		"category", "grade", "certificate_no", "certificate_valid", "lower_limb", "autism", "care", "needed", "long_term", "months", "income",
		"wages", "business", "pension", "living_allowance", "care_subsidy", "other_assistance", "other", "employment", "costs",
		"sheltered", "work_capacity", "stable_work_income", "orphan_guarantee", "work_injury_care_allowance",
		"other_welfare_subsidy", "family_support", "tekun", "insurance", "resident_pension", "resident_medical", "education", "stage",
		"graduating_year", "graduating_from", "in_internship", "economic_hardship", "needs", "household", "payments", "member",
		"benefit", "monthly", "start", "end"}
	for _, enum := range [][]string{StatusCodes, EmploymentStatuses, Relations, EducationStages, GraduatingFrom, NeedCodes, WorkCapacities} {
		list = append(list, enum...)
	}
	for _, c := range Categories {
		list = append(list, c.Code)
	}
	for i := 1; i <= 20; i++ {
		list = append(list, "M"+strconv.Itoa(i))
	}
	return list
}()

// internTable finds an interned string by a seeded FNV-1a hash with one
// comparison: a table without collisions, its seed found at start-up (in a
// few tries: 4,096 slots for about 150 strings). A string not in it (a
// citizen ID, a name) is copied.
var internTable = func() (t struct {
	seed  uint32
	slots [4096]string
}) {
	used := make([]uint32, 0, len(internedStrings))
	for seed := uint32(2166136261); seed < 2166136261+1000; seed++ {
		for _, h := range used {
			t.slots[h] = ""
		}
		used, t.seed = used[:0], seed
		ok := true
		for _, s := range internedStrings {
			h := internHash(s, seed)
			if t.slots[h] != "" && t.slots[h] != s {
				ok = false
				break
			}
			t.slots[h] = s
			used = append(used, h)
		}
		if ok {
			return t
		}
	}
	panic("household: no collision-free seed for the interned strings")
}()

func internHash(s string, seed uint32) uint32 {
	h := seed
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return (h ^ h>>16) & 4095
}

// intern returns the interned copy of b, if there is one.
func intern(b []byte) (string, bool) {
	v := internTable.slots[internHash(unsafe.String(unsafe.SliceData(b), len(b)), internTable.seed)]
	return v, v != "" && v == string(b)
}

var errSyntax = errors.New("malformed JSON")

// errNotUTF8: a string that is not UTF-8. encoding/json would turn its bytes
// into U+FFFD; the fast path refuses it instead, so that the caller's slow
// path reports where it is (NotUTF8) rather than a name silently garbled.
var errNotUTF8 = errors.New("a string is not UTF-8")

func (l *jsonLexer) ws() {
	for l.i < len(l.b) {
		// Records are mostly compact: one comparison settles most bytes.
		if c := l.b[l.i]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return
		}
		l.i++
	}
}

// plainKey marks the bytes a key or a parsed-only string holds on the fast
// path: printable ASCII other than the quote and the backslash.
// plainStr adds the bytes of multi-byte UTF-8 sequences (names, addresses).
var plainKey, plainStr = func() (k, s [256]bool) {
	for c := 0x20; c < 0x100; c++ {
		s[c] = c != '"' && c != '\\'
		k[c] = s[c] && c < 0x80
	}
	return k, s
}()

func (l *jsonLexer) peek() byte {
	l.ws()
	if l.i < len(l.b) {
		return l.b[l.i]
	}
	return 0
}

func (l *jsonLexer) eat(c byte) bool {
	if l.i < len(l.b) && l.b[l.i] == c || l.peek() == c {
		l.i++
		return true
	}
	return false
}

// null consumes a null if one comes next.
func (l *jsonLexer) null() bool {
	if l.peek() == 'n' && l.i+4 <= len(l.b) && string(l.b[l.i:l.i+4]) == "null" {
		l.i += 4
		return true
	}
	return false
}

// str reads a string.
func (l *jsonLexer) str() (string, error) {
	if l.peek() != '"' {
		return "", fmt.Errorf("offset %d: a string is expected", l.i)
	}
	start := l.i
	b, i := l.b, l.i+1
	for i < len(b) && plainStr[b[i]] {
		i++
	}
	l.i = i
	plain := true
	for l.i < len(l.b) {
		c := l.b[l.i]
		switch {
		case c == '"':
			l.i++
			if plain {
				s := l.b[start+1 : l.i-1]
				if v, ok := intern(s); ok {
					return v, nil
				}
				if !utf8.Valid(s) {
					return "", fmt.Errorf("offset %d: %w", start, errNotUTF8)
				}
				return string(s), nil
			}
			if !utf8.Valid(l.b[start:l.i]) {
				return "", fmt.Errorf("offset %d: %w", start, errNotUTF8)
			}
			var s string
			if err := json.Unmarshal(l.b[start:l.i], &s); err != nil {
				return "", fmt.Errorf("offset %d: %w", start, errSyntax)
			}
			return s, nil
		case c == '\\':
			plain = false
			l.i += 2
			continue
		case c < 0x20:
			return "", fmt.Errorf("offset %d: control character in a string", l.i)
		}
		l.i++
	}
	return "", fmt.Errorf("offset %d: unterminated string", start)
}

// view reads a string that is parsed, not kept (an amount, a date): a plain
// one is returned as a view of the input, without copying.
func (l *jsonLexer) view() (string, error) { return l.key() }

// key reads a member name. A plain name is returned as a view of the input,
// without copying or hashing: object keys are only compared, never kept.
func (l *jsonLexer) key() (string, error) {
	if l.i < len(l.b) && l.b[l.i] == '"' || l.peek() == '"' {
		b, start := l.b, l.i+1 // locals: the loop keeps them in registers
		j := start
		for j < len(b) && plainKey[b[j]] {
			j++
		}
		if j < len(b) && b[j] == '"' {
			l.i = j + 1
			if j == start {
				return "", nil
			}
			return unsafe.String(&b[start], j-start), nil
		}
		// Escapes or non-ASCII: the careful path.
	}
	return l.str()
}

// number returns the text of a number.
func (l *jsonLexer) number() (string, error) {
	l.ws()
	start := l.i
	for l.i < len(l.b) && strings.IndexByte("0123456789.eE+-", l.b[l.i]) >= 0 {
		l.i++
	}
	// The characters of a number, checked as JSON writes one: no leading
	// zero (00), no bare point (1.), as encoding/json and the schema path
	// refuse them.
	if tok := l.b[start:l.i]; len(tok) == 0 || !json.Valid(tok) {
		return "", fmt.Errorf("offset %d: a number is expected", start)
	}
	return string(l.b[start:l.i]), nil
}

func (l *jsonLexer) boolean() (*bool, error) {
	if l.null() {
		return nil, nil
	}
	l.ws()
	switch {
	case l.i+4 <= len(l.b) && string(l.b[l.i:l.i+4]) == "true":
		l.i += 4
		return l.newBool(true), nil
	case l.i+5 <= len(l.b) && string(l.b[l.i:l.i+5]) == "false":
		l.i += 5
		return l.newBool(false), nil
	case l.i < len(l.b) && l.b[l.i] == '"':
		start := l.i
		s, err := l.view()
		if err != nil {
			return nil, err
		}
		if v, ok := ParseFlag(s); ok {
			return l.newBool(v), nil
		}
		return nil, fmt.Errorf("offset %d: %s; got %q", start, flagRule, s)
	}
	return nil, fmt.Errorf("offset %d: %s", l.i, flagRule)
}

func (l *jsonLexer) integer() (*int, error) {
	if l.null() {
		return nil, nil
	}
	s, err := l.number()
	if err != nil {
		return nil, err
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, fmt.Errorf("%q is not a whole number", s)
	}
	return l.newInt(n), nil
}

// grade reads a disability grade: a whole number, its text (三级, "3") or null.
func (l *jsonLexer) grade() (*int, error) {
	if l.peek() != '"' {
		return l.integer()
	}
	s, err := l.view()
	if err != nil {
		return nil, err
	}
	g, ok := ParseGrade(NarrowWidth(s))
	if !ok {
		return nil, fmt.Errorf(gradeRule+"; got %q", s)
	}
	return l.newInt(g), nil
}

// optString reads a string or null (as "").
func (l *jsonLexer) optString() (string, error) {
	if l.null() {
		return "", nil
	}
	return l.str()
}

// codeString reads a string or null (as "") that is a code or number
// (citizen ID, certificate number, jurisdiction), with full-width
// characters made ASCII (see NarrowWidth).
func (l *jsonLexer) codeString() (string, error) {
	s, err := l.optString()
	return NarrowWidth(s), err
}

// yuan reads an amount: a number, a string, or null.
func (l *jsonLexer) yuan() (*money.Fen, error) {
	if l.null() {
		return nil, nil
	}
	var s string
	var err error
	if l.peek() == '"' {
		s, err = l.view()
	} else {
		s, err = l.number()
	}
	if err != nil {
		return nil, err
	}
	v, err := money.ParseYuan(NarrowWidth(s))
	if err != nil {
		return nil, err
	}
	return l.newFen(v), nil
}

func (l *jsonLexer) date() (*Date, error) {
	if l.null() {
		return nil, nil
	}
	s, err := l.view()
	if err != nil {
		return nil, err
	}
	d, err := ParseDate(NarrowWidth(s))
	if err != nil {
		return nil, err
	}
	if len(l.dates) == cap(l.dates) {
		l.dates = make([]Date, 0, 8)
	}
	l.dates = append(l.dates, d)
	return &l.dates[len(l.dates)-1], nil
}

func (l *jsonLexer) month() (Month, error) {
	s, err := l.view()
	if err != nil {
		return Month{}, err
	}
	return ParseMonth(NarrowWidth(s))
}

// strings reads an array of strings; null gives nil, [] an empty list.
func (l *jsonLexer) strings() ([]string, error) {
	if l.null() {
		return nil, nil
	}
	out := []string{}
	err := l.array(func() error {
		s, err := l.str()
		out = append(out, s)
		return err
	})
	return out, err
}

// object calls fn for each key, with the lexer at the value.
func (l *jsonLexer) object(fn func(key string) error) error {
	if !l.eat('{') {
		return fmt.Errorf("offset %d: an object is expected", l.i)
	}
	if l.eat('}') {
		return nil
	}
	var seenBuf [32]string
	seen := seenBuf[:0]
	var hashes uint64 // a bit per key hash: keys are compared only when one repeats
	for {
		key, err := l.key()
		if err != nil {
			return err
		}
		bit := uint64(1) << keyHash(key)
		if hashes&bit != 0 {
			for _, k := range seen {
				if k == key {
					// encoding/json merges repeated members and the schema
					// path keeps the last: an ambiguous record is refused.
					return fmt.Errorf("field %q appears twice", key)
				}
			}
		}
		hashes |= bit
		seen = append(seen, key)
		if !l.eat(':') {
			return fmt.Errorf("offset %d: %w", l.i, errSyntax)
		}
		if err := fn(key); err != nil {
			return err
		}
		if l.eat(',') {
			continue
		}
		if l.eat('}') {
			return nil
		}
		return fmt.Errorf("offset %d: %w", l.i, errSyntax)
	}
}

// keyHash spreads the keys of one object over 64 bits.
func keyHash(k string) uint {
	if k == "" {
		return 0
	}
	return (uint(len(k))*7 + uint(k[0]) + uint(k[len(k)-1])*3 + uint(k[len(k)/2])*5) & 63
}

// optObject is an object or null.
func (l *jsonLexer) optObject(fn func(key string) error) (bool, error) {
	if l.null() {
		return false, nil
	}
	return true, l.object(fn)
}

func (l *jsonLexer) array(fn func() error) error {
	if !l.eat('[') {
		return fmt.Errorf("offset %d: an array is expected", l.i)
	}
	if l.eat(']') {
		return nil
	}
	for {
		if err := fn(); err != nil {
			return err
		}
		if l.eat(',') {
			continue
		}
		if l.eat(']') {
			return nil
		}
		return fmt.Errorf("offset %d: %w", l.i, errSyntax)
	}
}

func unknownField(key string) error { return fmt.Errorf("unknown field %q", key) }

// decodeFast decodes one household record.
func decodeFast(data []byte) (*Household, error) {
	l := &jsonLexer{b: data}
	h, err := l.household()
	if err != nil {
		return nil, err
	}
	if l.ws(); l.i != len(l.b) {
		return nil, errors.New("more than one JSON value in the record")
	}
	return h, nil
}

// JSONReader reads a JSON document that holds household records, for record
// formats built on this one (a benefit roll's entries, say) that want the
// fast path too.
type JSONReader struct{ l jsonLexer }

// NewJSONReader reads b.
func NewJSONReader(b []byte) *JSONReader { return &JSONReader{jsonLexer{b: b}} }

// Object calls fn for each member of an object, positioned at its value.
func (r *JSONReader) Object(fn func(key string) error) error { return r.l.object(fn) }

// Array calls fn for each element of an array.
func (r *JSONReader) Array(fn func() error) error { return r.l.array(fn) }

// Null consumes a null if one comes next.
func (r *JSONReader) Null() bool { return r.l.null() }

// String reads a string or null (as "").
func (r *JSONReader) String() (string, error) { return r.l.optString() }

// Strings reads an array of strings, or null (nil).
func (r *JSONReader) Strings() ([]string, error) { return r.l.strings() }

// Bool reads true, false or null (nil).
func (r *JSONReader) Bool() (*bool, error) { return r.l.boolean() }

// Yuan reads an amount of yuan: a number, a string, or null (nil).
func (r *JSONReader) Yuan() (*money.Fen, error) { return r.l.yuan() }

// Month reads a month YYYY-MM, or null (nil).
func (r *JSONReader) Month() (*Month, error) {
	if r.l.null() {
		return nil, nil
	}
	m, err := r.l.month()
	return &m, err
}

// Household reads a household record; members without an id are named
// as Decode names them (NameMembers).
func (r *JSONReader) Household() (*Household, error) {
	h, err := r.l.household()
	if err == nil {
		NameMembers(h)
	}
	return h, err
}

// Record reads the whole input as one object, calling fn for each member
// as Object does, and checks that nothing but white space follows.
func (r *JSONReader) Record(fn func(key string) error) error {
	if err := r.Object(fn); err != nil {
		return err
	}
	return r.End()
}

// End checks that nothing but white space follows.
func (r *JSONReader) End() error {
	if r.l.ws(); r.l.i != len(r.l.b) {
		return errors.New("more than one JSON value")
	}
	return nil
}

func (l *jsonLexer) household() (*Household, error) {
	h := &Household{}
	err := l.object(func(key string) error {
		var err error
		switch key {
		case "$schema":
			_, err = l.optString()
		case "schema_version":
			var n *int
			if n, err = l.integer(); n != nil {
				h.SchemaVersion = *n
			}
		case "id":
			h.ID, err = l.optString()
		case "jurisdiction":
			h.Jurisdiction, err = l.codeString()
		case "residence":
			h.Residence, err = l.optString()
		case "as_of":
			h.AsOf, err = l.date()
		case "status":
			var s []string
			if s, err = l.strings(); s != nil {
				st := Statuses(s)
				h.Status = &st
			}
		case "property_test":
			h.PropertyTest, err = l.optString()
		case "hardship_assessed":
			h.HardshipAssessed, err = l.boolean()
		case "income_history":
			if l.null() {
				return nil
			}
			history := make([]MonthIncome, 0, 12)
			err = l.array(func() error {
				if mi, ok := l.monthIncomeFast(); ok {
					history = append(history, mi)
					return nil
				}
				var mi MonthIncome
				err := l.object(func(key string) error {
					var err error
					switch key {
					case "month":
						mi.Month, err = l.month()
					case "per_capita_income":
						mi.PerCapitaIncome, err = l.yuan()
					default:
						err = unknownField("income_history." + key)
					}
					return err
				})
				history = append(history, mi)
				return err
			})
			h.IncomeHistory = history
		case "housing":
			hs := &Housing{}
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "dilapidated":
					hs.Dilapidated, err = l.boolean()
				case "can_self_fund":
					hs.CanSelfFund, err = l.boolean()
				case "seeking_public_rental":
					hs.SeekingPublicRental, err = l.boolean()
				case "needs_accessibility_renovation":
					hs.NeedsAccessibilityRenovation, err = l.boolean()
				default:
					err = unknownField("housing." + key)
				}
				return err
			})
			if present {
				h.Housing = hs
			}
		case "members":
			if l.null() {
				h.Members = nil
				return nil
			}
			members := make([]Member, 0, 4)
			err = l.array(func() error {
				members = append(members, Member{})
				return l.member(&members[len(members)-1])
			})
			h.Members = members
		default:
			err = unknownField(key)
		}
		return err
	})
	return h, err
}

// monthIncomeFast reads an income_history entry as encoders write it,
// {"month":"YYYY-MM","per_capita_income":…}, without the general object
// machinery: a household carries a year or more of them. For anything
// else it reports false and consumes nothing, and the general path reads
// (or refuses) the entry.
func (l *jsonLexer) monthIncomeFast() (MonthIncome, bool) {
	const pre, mid = `{"month":"`, `","per_capita_income":`
	b := l.b[l.i:]
	if len(b) < len(pre)+7+len(mid)+1 || string(b[:len(pre)]) != pre || string(b[len(pre)+7:len(pre)+7+len(mid)]) != mid {
		return MonthIncome{}, false
	}
	m, err := ParseMonth(unsafe.String(&b[len(pre)], 7))
	if err != nil {
		return MonthIncome{}, false
	}
	save := l.i
	l.i += len(pre) + 7 + len(mid)
	pci, err := l.yuan()
	if err != nil || !l.eat('}') {
		l.i = save
		return MonthIncome{}, false
	}
	return MonthIncome{Month: m, PerCapitaIncome: pci}, true
}

func (l *jsonLexer) member(m *Member) error {
	var parts *memberParts
	part := func() *memberParts {
		if parts == nil {
			parts = l.newParts()
		}
		return parts
	}
	var none string // the disability written as 无: the member has none
	err := l.object(func(key string) error {
		var err error
		switch key {
		case "id":
			m.ID, err = l.optString()
		case "name":
			m.Name, err = l.optString()
		case "citizen_id":
			m.CitizenID, err = l.codeString()
		case "relation":
			m.Relation, err = l.optString()
		case "birth_date":
			m.BirthDate, err = l.date()
		case "age":
			m.Age, err = l.integer()
		case "disabled":
			m.Disabled, err = l.boolean()
		case "disability":
			if l.peek() == '"' { // 肢体二级
				var s string
				if s, err = l.view(); err == nil && IsNoDisability(s) {
					none = strings.Clone(s)
				} else if err == nil && s != "" { // "" is unknown
					m.Disability, err = disabilityFromText(s)
				}
				break
			}
			d := &part().disability
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "category":
					d.Category, err = l.optString()
				case "grade":
					d.Grade, err = l.grade()
				case "certificate_no":
					d.CertificateNo, err = l.codeString()
				case "certificate_valid":
					d.CertificateValid, err = l.boolean()
				case "lower_limb":
					d.LowerLimb, err = l.boolean()
				case "autism":
					d.Autism, err = l.boolean()
				default:
					err = unknownField("disability." + key)
				}
				return err
			})
			if present {
				m.Disability = d
			}
		case "care":
			c := &part().care
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "needed":
					c.Needed, err = l.boolean()
				case "long_term":
					c.LongTerm, err = l.boolean()
				case "months":
					c.Months, err = l.integer()
				default:
					err = unknownField("care." + key)
				}
				return err
			})
			if present {
				m.Care = c
			}
		case "income":
			in := &part().income
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "wages":
					in.Wages, err = l.yuan()
				case "business":
					in.Business, err = l.yuan()
				case "pension":
					in.Pension, err = l.yuan()
				case "living_allowance":
					in.LivingAllowance, err = l.yuan()
				case "care_subsidy":
					in.CareSubsidy, err = l.yuan()
				case "other_assistance":
					in.OtherAssistance, err = l.yuan()
				case "other":
					in.Other, err = l.yuan()
				default:
					err = unknownField("income." + key)
				}
				return err
			})
			if present {
				m.Income = in
			}
		case "employment":
			e := &part().employment
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "status":
					e.Status, err = l.optString()
				case "costs":
					e.Costs, err = l.yuan()
				case "sheltered":
					e.Sheltered, err = l.boolean()
				default:
					err = unknownField("employment." + key)
				}
				return err
			})
			if present {
				m.Employment = e
			}
		case "work_capacity":
			m.WorkCapacity, err = l.optString()
		case "stable_work_income":
			m.StableWorkIncome, err = l.boolean()
		case "orphan_guarantee":
			m.OrphanGuarantee, err = l.boolean()
		case "work_injury_care_allowance":
			m.WorkInjuryCareAllowance, err = l.boolean()
		case "other_welfare_subsidy":
			m.OtherWelfareSubsidy, err = l.boolean()
		case "family_support":
			m.FamilySupport, err = l.boolean()
		case "tekun":
			m.Tekun, err = l.boolean()
		case "insurance":
			in := &part().insurance
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "resident_pension":
					in.ResidentPension, err = l.boolean()
				case "resident_medical":
					in.ResidentMedical, err = l.boolean()
				default:
					err = unknownField("insurance." + key)
				}
				return err
			})
			if present {
				m.Insurance = in
			}
		case "education":
			ed := &part().education
			var present bool
			present, err = l.optObject(func(key string) error {
				var err error
				switch key {
				case "stage":
					ed.Stage, err = l.optString()
				case "graduating_year":
					ed.GraduatingYear, err = l.integer()
				case "graduating_from":
					ed.GraduatingFrom, err = l.optString()
				case "in_internship":
					ed.InInternship, err = l.boolean()
				case "economic_hardship":
					ed.EconomicHardship, err = l.boolean()
				default:
					err = unknownField("education." + key)
				}
				return err
			})
			if present {
				m.Education = ed
			}
		case "needs":
			var s []string
			if s, err = l.strings(); s != nil {
				n := Needs(s)
				m.Needs = &n
			}
		default:
			err = unknownField(key)
		}
		return err
	})
	if err != nil || none == "" {
		return err
	}
	switch {
	case m.Disabled == nil:
		m.Disabled = new(false)
	case *m.Disabled:
		return Errorf(noDisabilityButDisabled, noDisabilityButDisabledZh, none)
	}
	return nil
}
