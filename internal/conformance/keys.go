package conformance

import (
	"fmt"
	"sort"
	"strings"
)

// schema lists an object's allowed keys, each with the schema of its value
// (nil for scalars and pair lists); elem is the schema of array elements.
type schema struct {
	keys map[string]*schema
	elem *schema
}

var (
	schemaHeaders = &schema{}
	schemaReport  = &schema{keys: map[string]*schema{"type": nil, "blockedURL": nil, "destination": nil, "disposition": nil}}
	schemaCase    = &schema{keys: map[string]*schema{
		"name": nil, "source": nil, "checks": nil,
		"client": {keys: map[string]*schema{"origin": nil, "coep": nil, "coepReportOnly": nil, "addressSpace": nil}},
		"request": {keys: map[string]*schema{
			"url": nil, "destination": nil, "mode": nil, "credentials": nil, "method": nil, "headers": schemaHeaders,
			"integrity": nil,
		}},
		"preflight": {keys: map[string]*schema{"status": nil, "headers": schemaHeaders}},
		"responses": {elem: &schema{keys: map[string]*schema{
			"url": nil, "status": nil, "headers": schemaHeaders, "body": nil, "bodyBase64": nil,
			"requestIncludesCredentials": nil, "addressSpace": nil,
		}}},
		"expect": {keys: map[string]*schema{
			"result": nil, "preflight": nil, "exposedHeaders": nil,
			"reports": {elem: schemaReport},
		}},
	}}
	schemaFile = &schema{keys: map[string]*schema{"cases": {elem: schemaCase}}}
)

type keyError struct {
	Field, Msg string
}

// checkKeys walks v and reports the first key s does not allow, with its
// path, and the first object where an array or object was expected.
func checkKeys(v any, s *schema, path string) *keyError {
	if s == nil {
		return nil
	}
	switch x := v.(type) {
	case map[string]any:
		if s.keys == nil {
			return &keyError{path, "want an array, got an object"}
		}
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			sub, ok := s.keys[k]
			if !ok {
				return &keyError{join(path, k), "unknown field" + hint(k, s)}
			}
			if err := checkKeys(x[k], sub, join(path, k)); err != nil {
				return err
			}
		}
	case []any:
		if s.elem == nil {
			return nil
		}
		for i, e := range x {
			if err := checkKeys(e, s.elem, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case nil:
	default:
		if s.keys != nil || s.elem != nil {
			return &keyError{path, fmt.Sprintf("want an object or array, got %T", v)}
		}
	}
	return nil
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

// hint suggests the allowed key that differs only in case.
func hint(k string, s *schema) string {
	for name := range s.keys {
		if strings.EqualFold(name, k) {
			return fmt.Sprintf(" (did you mean %q?)", name)
		}
	}
	return ""
}
