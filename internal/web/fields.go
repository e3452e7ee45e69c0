package web

import (
	"fmt"
	"html"
	"html/template"
	"reflect"
	"strings"
)

// Field is one form control as the "field" partial writes it: labelled, with
// its hint, and when the submission got it wrong, marked invalid and
// described by its error (the error summary links to its id). Pages build it
// with Page.Field, so that every form says these things the same way.
type Field struct {
	ID    string // the control's id
	Name  string // the control's name (the id unless told)
	Label string // in the page's language
	// Kind is "input", "textarea" or "select"; Type is an input's type.
	Kind, Type string
	Value      string // what the user typed, else the page's form value
	Hint       string // in the page's language; "" for none
	Err        string // the message of the field's error; "" for none
	Required   bool
	Options    []FieldOption // a select's options
	// Attrs are further attributes (maxlength, dir, …), escaped.
	Attrs template.HTMLAttr
}

// FieldOption is an option of a select.
type FieldOption struct {
	Value, Label string
	Selected     bool
}

// DescribedBy is the ids the control is described by: its hint and error.
func (f *Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Err != "" {
		ids = append(ids, f.ID+"-err")
	}
	return strings.Join(ids, " ")
}

// fieldAttrs are the attributes a field may be given as is.
var fieldAttrs = map[string]bool{"maxlength": true, "minlength": true, "size": true, "inputmode": true, "dir": true, "lang": true,
	"placeholder": true, "autocomplete": true, "accept": true, "pattern": true, "min": true, "max": true, "step": true, "rows": true}

// Field describes a control for the "field" partial: its id, its label (in
// the page's language) and options as alternating keys and values:
//
//	name S          the control's name (default: the id)
//	type S          an input's type
//	textarea ROWS   a textarea of so many rows
//	select LIST     a select of LIST's values (any slice, or []FieldOption)
//	labels PREFIX   a select's option labels: the message PREFIX+value
//	empty LABEL     a first option with no value
//	value S         the value (default: the page's form value of the name)
//	hint S          the hint, in the page's language
//	error FIELD     the error shown is FIELD's (default: the id's)
//	required BOOL   the control is required
//	maxlength N …   an attribute of fieldAttrs
//
// A key it does not know fails the page's rendering, so a mistake shows in
// the first test that renders it.
func (p *Page) Field(id, label string, opts ...any) (*Field, error) {
	f := &Field{ID: id, Name: id, Label: label, Kind: "input"}
	if len(opts)%2 != 0 {
		return nil, fmt.Errorf("field %s: options come in pairs", id)
	}
	errField, prefix, value, hasValue := id, "", "", false
	var list any
	var empty *string
	var attrs strings.Builder
	for i := 0; i < len(opts); i += 2 {
		k, ok := opts[i].(string)
		if !ok {
			return nil, fmt.Errorf("field %s: option %v is no name", id, opts[i])
		}
		v := opts[i+1]
		s := fmt.Sprint(v)
		switch k {
		case "name":
			f.Name = s
		case "type":
			f.Type = s
		case "textarea":
			f.Kind = "textarea"
			attrs.WriteString(` rows="` + html.EscapeString(s) + `"`)
		case "select":
			f.Kind, list = "select", v
		case "labels":
			prefix = s
		case "empty":
			empty = &s
		case "value":
			value, hasValue = s, true
		case "hint":
			f.Hint = s
		case "error":
			errField = s
		case "required":
			f.Required = v == true
		default:
			if !fieldAttrs[k] {
				return nil, fmt.Errorf("field %s: unknown option %q", id, k)
			}
			attrs.WriteString(" " + k + `="` + html.EscapeString(s) + `"`)
		}
	}
	f.Attrs = template.HTMLAttr(attrs.String())
	f.Value = value
	if !hasValue {
		f.Value = p.Form.Get(f.Name)
	}
	f.Err = p.FieldErr(errField)
	if f.Kind == "select" {
		if empty != nil {
			f.Options = append(f.Options, FieldOption{Label: *empty, Selected: f.Value == ""})
		}
		if given, ok := list.([]FieldOption); ok {
			for _, o := range given {
				o.Selected = o.Value == f.Value
				f.Options = append(f.Options, o)
			}
			return f, nil
		}
		rv := reflect.ValueOf(list)
		if rv.Kind() != reflect.Slice {
			return nil, fmt.Errorf("field %s: select takes a slice, not %T", id, list)
		}
		for i := range rv.Len() {
			v := fmt.Sprint(rv.Index(i).Interface())
			l := v
			if prefix != "" {
				l = p.T(prefix + v)
			}
			f.Options = append(f.Options, FieldOption{Value: v, Label: l, Selected: v == f.Value})
		}
	}
	return f, nil
}
