package rulepack

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"entitle/engine/household"
	"entitle/engine/internal/docpos"
)

// Schemas holds the JSON Schemas of the pack's files. Editors can use them
// (see the yaml-language-server comment at the top of each rule file), and
// the loader validates every file against them.
//
//go:embed schema/*.schema.json
var Schemas embed.FS

var (
	schemaOnce sync.Once
	compiled   map[string]*jsonschema.Schema
	schemaErr  error
)

// Schema returns one of the compiled pack-file schemas: rules, values,
// tests or catalog.
func Schema(name string) (*jsonschema.Schema, error) {
	schemaOnce.Do(func() {
		compiled = map[string]*jsonschema.Schema{}
		c := jsonschema.NewCompiler()
		entries, err := fs.ReadDir(Schemas, "schema")
		if err != nil {
			schemaErr = err
			return
		}
		for _, e := range entries {
			b, _ := fs.ReadFile(Schemas, "schema/"+e.Name())
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
			if err != nil {
				schemaErr = fmt.Errorf("%s: %w", e.Name(), err)
				return
			}
			if err := c.AddResource(e.Name(), doc); err != nil {
				schemaErr = err
				return
			}
		}
		for _, e := range entries {
			s, err := c.Compile(e.Name())
			if err != nil {
				schemaErr = fmt.Errorf("%s: %w", e.Name(), err)
				return
			}
			compiled[strings.TrimSuffix(e.Name(), ".schema.json")] = s
		}
	})
	if schemaErr != nil {
		return nil, schemaErr
	}
	s, ok := compiled[name]
	if !ok {
		return nil, fmt.Errorf("no schema %q", name)
	}
	return s, nil
}

var printer = message.NewPrinter(language.English)

// yamlFile is one parsed pack file.
type yamlFile struct {
	path  string
	data  []byte
	lines []string
	root  *yaml.Node
	at    docpos.Map
}

// CheckYAML parses the pack file at path and validates it against the
// named schema (rules, values, tests or catalog), as Load does each file:
// its problems come back located, with a snippet of the line. It returns
// the file's root node, or nil and the problems when the file is unusable.
func CheckYAML(fsys fs.FS, path, schemaName string) (*yaml.Node, Diagnostics) {
	var diags Diagnostics
	if f := readYAML(fsys, path, schemaName, &diags); f != nil {
		return f.root, nil
	}
	diags.Sort()
	return nil, diags
}

// readYAML parses a pack file and validates it against its schema. It
// returns nil after recording diagnostics when the file is unusable.
func readYAML(fsys fs.FS, path, schemaName string, diags *Diagnostics) *yamlFile {
	data, err := fs.ReadFile(fsys, path)
	if err != nil {
		*diags = append(*diags, Diagnostic{File: path, Code: CodeMissingFile, Severity: Error, Msg: err.Error()})
		return nil
	}
	f := &yamlFile{path: path, data: data, lines: docpos.Lines(data)}
	if household.UTF16(data) {
		*diags = append(*diags, Diagnostic{File: path, Line: 1, Column: 1, Code: CodeYAML, Severity: Error,
			Msg: "the file is UTF-16 text (it starts with UTF-16's byte-order mark): save it as UTF-8"})
		return nil
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line := docpos.YAMLErrorLine(err)
		*diags = append(*diags, Diagnostic{File: path, Line: line, Column: 1, Code: CodeYAML, Severity: Error,
			Msg: strings.TrimPrefix(err.Error(), "yaml: "), Snippet: f.snippet(line, 1)})
		return nil
	}
	if root.Kind == 0 {
		*diags = append(*diags, Diagnostic{File: path, Line: 1, Column: 1, Code: CodeYAML, Severity: Error, Msg: "the file is empty"})
		return nil
	}
	f.root = &root
	inst, at, err := docpos.FromYAML(&root)
	if err != nil {
		var pe *docpos.Error
		if errors.As(err, &pe) {
			*diags = append(*diags, Diagnostic{File: path, Line: pe.Pos.Line, Column: pe.Pos.Col, Code: CodeYAML, Severity: Error, Msg: pe.Msg, Snippet: f.snippet(pe.Pos.Line, pe.Pos.Col)})
		} else {
			*diags = append(*diags, Diagnostic{File: path, Code: CodeYAML, Severity: Error, Msg: err.Error()})
		}
		return nil
	}
	f.at = at
	sch, err := Schema(schemaName)
	if err != nil {
		*diags = append(*diags, Diagnostic{File: path, Code: CodeSchema, Severity: Error, Msg: err.Error()})
		return nil
	}
	if err := sch.Validate(inst); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			*diags = append(*diags, Diagnostic{File: path, Code: CodeSchema, Severity: Error, Msg: err.Error()})
			return nil
		}
		*diags = append(*diags, f.schemaDiags(ve, sch)...)
		return nil
	}
	return f
}

func (f *yamlFile) snippet(line, col int) string {
	if line < 1 || line > len(f.lines) {
		return ""
	}
	return snippet(f.lines[line-1], col)
}

func (f *yamlFile) diag(path string, code Code, sev Severity, format string, args ...any) Diagnostic {
	p := f.at.Locate(path)
	return Diagnostic{File: f.path, Line: p.Line, Column: p.Col, Code: code, Severity: sev,
		Msg: fmt.Sprintf(format, args...), Snippet: f.snippet(p.Line, p.Col)}
}

// schemaDiags flattens a schema validation error into located diagnostics.
// A choice of fields (oneOf or anyOf of required fields: a test case's
// household, household_file or household_ref) is reported as one
// diagnostic naming the choice, not one a field.
func (f *yamlFile) schemaDiags(ve *jsonschema.ValidationError, root *jsonschema.Schema) Diagnostics {
	var out Diagnostics
	seen := map[string]bool{}
	var visit func(e *jsonschema.ValidationError)
	visit = func(e *jsonschema.ValidationError) {
		if msg := choiceMessage(e, root); msg != "" {
			path := docpos.TokensPath(e.InstanceLocation)
			d := f.diag(path, CodeSchema, Error, "%s: %s", displayPath(path), msg)
			if !seen[d.String()] {
				seen[d.String()] = true
				out = append(out, d)
			}
			return
		}
		if len(e.Causes) > 0 {
			// For oneOf/anyOf, report the branch that got furthest.
			for _, c := range e.Causes {
				visit(c)
			}
			return
		}
		path := docpos.TokensPath(e.InstanceLocation)
		msg := e.ErrorKind.LocalizedString(printer)
		switch k := e.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			for _, p := range k.Properties {
				d := f.diag(docpos.Join(path, p), CodeSchema, Error, "unknown field %q", p)
				if !seen[d.String()] {
					seen[d.String()] = true
					out = append(out, d)
				}
			}
			return
		case *kind.Required:
			msg = "missing required field(s): " + strings.Join(k.Missing, ", ")
		}
		d := f.diag(path, CodeSchema, Error, "%s: %s", displayPath(path), msg)
		if !seen[d.String()] {
			seen[d.String()] = true
			out = append(out, d)
		}
	}
	visit(ve)
	return out
}

// choiceMessage words a failed oneOf or anyOf whose branches each require
// one field (the schema at the keyword's location says which): none of the
// fields is given ("give one of a, b, c"), or, for oneOf, more than one is.
// It is "" for any other error.
func choiceMessage(e *jsonschema.ValidationError, root *jsonschema.Schema) string {
	keyword := ""
	switch e.ErrorKind.(type) {
	case *kind.OneOf:
		keyword = "/oneOf"
	case *kind.AnyOf:
		keyword = "/anyOf"
	default:
		return ""
	}
	s := schemaAt(root, strings.TrimSuffix(e.SchemaURL, keyword), map[*jsonschema.Schema]bool{})
	if s == nil {
		return ""
	}
	if keyword == "/anyOf" {
		if names := requiredChoice(s.AnyOf); names != nil {
			return "give at least one of " + strings.Join(names, ", ")
		}
		return ""
	}
	names := requiredChoice(s.OneOf)
	if names == nil {
		return ""
	}
	matched := e.ErrorKind.(*kind.OneOf).Subschemas
	if len(matched) < 2 {
		return "give one of " + strings.Join(names, ", ")
	}
	var given []string
	for _, i := range matched {
		if i < len(names) {
			given = append(given, names[i])
		}
	}
	return fmt.Sprintf("give only one of %s (%s are given)", strings.Join(names, ", "), strings.Join(given, " and "))
}

// requiredChoice is the field each branch requires, when each branch is
// just one required field.
func requiredChoice(branches []*jsonschema.Schema) []string {
	var names []string
	for _, b := range branches {
		if len(b.Required) != 1 || len(b.Properties) > 0 || b.Types != nil {
			return nil
		}
		names = append(names, b.Required[0])
	}
	return names
}

// schemaAt finds the subschema of root at the location loc.
func schemaAt(s *jsonschema.Schema, loc string, seen map[*jsonschema.Schema]bool) *jsonschema.Schema {
	if s == nil || seen[s] {
		return nil
	}
	seen[s] = true
	if s.Location == loc {
		return s
	}
	subs := []*jsonschema.Schema{s.Ref, s.If, s.Then, s.Else, s.Not, s.Items2020}
	if a, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		subs = append(subs, a)
	}
	subs = append(subs, s.AllOf...)
	subs = append(subs, s.AnyOf...)
	subs = append(subs, s.OneOf...)
	for _, k := range slices.Sorted(maps.Keys(s.Properties)) {
		subs = append(subs, s.Properties[k])
	}
	for _, sub := range subs {
		if found := schemaAt(sub, loc, seen); found != nil {
			return found
		}
	}
	return nil
}

func displayPath(p string) string {
	if p == "" {
		return "(top level)"
	}
	return p
}

// nodeAt finds the node at a path such as rules[2].conditions[0].expr.
func (f *yamlFile) nodeAt(path string) *yaml.Node {
	n := f.root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, tok := range docpos.Split(path) {
		if n == nil {
			return nil
		}
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if tok.Index >= 0 {
			if n.Kind != yaml.SequenceNode || tok.Index >= len(n.Content) {
				return nil
			}
			n = n.Content[tok.Index]
			continue
		}
		if n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == tok.Key {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// loc returns where the expression at a path stands, for compiling.
func (f *yamlFile) loc(path string) exprLoc {
	return exprLoc{file: f.path, node: f.nodeAt(path), lines: f.lines}
}

// decode fills a spec struct from the file's root.
func (f *yamlFile) decode(v any, diags *Diagnostics) bool {
	if err := f.root.Decode(v); err != nil {
		*diags = append(*diags, Diagnostic{File: f.path, Code: CodeSchema, Severity: Error, Msg: err.Error()})
		return false
	}
	return true
}

// packFiles lists the files of a pack by role, sorted.
type packFiles struct {
	rules      []string // **/*.rules.yaml
	values     []string // **/values.yaml
	indicators []string // **/indicators.yaml
	tests      []string // **/*.test.yaml
	// The catalogue lists may be split: the pack's own file first, then one
	// per jurisdiction directory, so a new jurisdiction can be a directory
	// of its own.
	jurisdictions []string // jurisdictions.yaml, */jurisdictions.yaml
	sources       []string // sources/sources.yaml, */sources.yaml
	coverage      []string // coverage.yaml, */coverage.yaml
	all           []string // every file that counts toward the hash
}

func listFiles(fsys fs.FS) (packFiles, error) {
	var pf packFiles
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path == "sources/raw" || strings.HasPrefix(d.Name(), ".") && path != "." {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(path, ".test.yaml"):
			pf.tests = append(pf.tests, path)
			return nil
		case strings.HasSuffix(path, ".rules.yaml"):
			pf.rules = append(pf.rules, path)
		case d.Name() == "values.yaml":
			pf.values = append(pf.values, path)
		case d.Name() == "indicators.yaml":
			pf.indicators = append(pf.indicators, path)
		case d.Name() == JurisdictionsFile:
			pf.jurisdictions = append(pf.jurisdictions, path)
		case d.Name() == "sources.yaml":
			pf.sources = append(pf.sources, path)
		case d.Name() == CoverageFile:
			pf.coverage = append(pf.coverage, path)
		}
		if strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".md") {
			return nil
		}
		pf.all = append(pf.all, path)
		return nil
	})
	// National rules first, then each jurisdiction's, so listings read from
	// the base layer down.
	sort.SliceStable(pf.rules, func(i, j int) bool {
		ni, nj := strings.HasPrefix(pf.rules[i], "national/"), strings.HasPrefix(pf.rules[j], "national/")
		if ni != nj {
			return ni
		}
		return pf.rules[i] < pf.rules[j]
	})
	sort.Strings(pf.values)
	sort.Strings(pf.indicators)
	sort.Strings(pf.tests)
	for _, list := range [][]string{pf.jurisdictions, pf.sources, pf.coverage} {
		sort.SliceStable(list, func(i, j int) bool {
			// The pack's own file (at the root, or sources/sources.yaml) first.
			ri, rj := isMainCatalog(list[i]), isMainCatalog(list[j])
			if ri != rj {
				return ri
			}
			return list[i] < list[j]
		})
	}
	sort.Strings(pf.all)
	return pf, err
}

// JurisdictionsFile is the name of the files that list jurisdictions.
const JurisdictionsFile = "jurisdictions.yaml"

// MainSourcesFile is the pack's own list of documents, whose raw seeds the
// cleaner turns into the texts beside it.
const MainSourcesFile = "sources/sources.yaml"

func isMainCatalog(path string) bool {
	return !strings.Contains(path, "/") || path == MainSourcesFile
}

// readSpec reads a pack file, checks it against its schema and decodes it
// into an S. It returns nil for the spec, with the problems added to
// l.diags, when the file cannot be read, parsed, checked or decoded.
func readSpec[S any](l *loader, path, schemaName string) (*yamlFile, *S) {
	f := readYAML(l.fsys, path, schemaName, &l.diags)
	if f == nil {
		return nil, nil
	}
	var s S
	if !f.decode(&s, &l.diags) {
		return nil, nil
	}
	return f, &s
}
