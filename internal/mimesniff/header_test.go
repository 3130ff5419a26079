package mimesniff_test

import (
	"testing"

	"github.com/xorigin/xorigin/internal/mimesniff"
)

// Sources of the Extract and NoSniff cases.
const (
	srcFetch          = "fetch"                           // the Fetch standard's example tables
	srcContentTypes   = "wpt content-types.json"          // web-platform-tests fetch/content-type/resources
	srcNoSniffJSON    = "wpt x-content-type-options.json" // web-platform-tests fetch/nosniff/resources
	srcNoSniffHeaders = "wpt fetch/nosniff"               // the .asis responses there
)

func TestExtract(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, source string
		values       []string
		want         string // serialization; "" for failure
	}{
		// Fetch, "extract a MIME type", example table.
		{"two types in one header", srcFetch, []string{"text/plain;charset=gbk, text/html"}, "text/html"},
		{"charset carried over in one header", srcFetch, []string{"text/html;charset=gbk;a=b, text/html;x=y"}, "text/html;x=y;charset=gbk"},
		{"charset carried over across headers", srcFetch, []string{"text/html;charset=gbk;a=b", "text/html;x=y"}, "text/html;x=y;charset=gbk"},
		{"other essence in between resets charset", srcFetch, []string{"text/html;charset=gbk", "x/x", "text/html;x=y"}, "text/html;x=y"},
		{"unparsable last header skipped", srcFetch, []string{"text/html", "cannot-parse"}, "text/html"},
		{"star slash star skipped", srcFetch, []string{"text/html", "*/*"}, "text/html"},
		{"empty last header skipped", srcFetch, []string{"text/html", ""}, "text/html"},

		// web-platform-tests fetch/content-type/resources/content-types.json.
		{"empty then type", srcContentTypes, []string{"", "text/plain"}, "text/plain"},
		{"type then empty", srcContentTypes, []string{"text/plain", ""}, "text/plain"},
		{"last wins", srcContentTypes, []string{"text/html", "text/plain"}, "text/plain"},
		{"new essence drops charset", srcContentTypes, []string{"text/plain;charset=gbk", "text/html"}, "text/html"},
		{"new essence keeps own charset", srcContentTypes, []string{"text/plain;charset=gbk", "text/html;charset=windows-1254"}, "text/html;charset=windows-1254"},
		{"same essence inherits charset", srcContentTypes, []string{"text/plain;charset=gbk", "text/plain"}, "text/plain;charset=gbk"},
		{"same essence keeps own charset", srcContentTypes, []string{"text/plain;charset=gbk", "text/plain;charset=windows-1252"}, "text/plain;charset=windows-1252"},
		{"quoted comma does not split", srcContentTypes, []string{"text/html;charset=gbk", `text/html;x=",text/plain`}, `text/html;x=",text/plain";charset=gbk`},
		{"charset lost through another essence", srcContentTypes, []string{"text/html;charset=gbk", "text/plain", "text/html"}, "text/html"},
		{"star slash star after text/plain", srcContentTypes, []string{"text/plain", "*/*"}, "text/plain"},
		{"star slash star after text/html", srcContentTypes, []string{"text/html", "*/*"}, "text/html"},
		{"star slash star first", srcContentTypes, []string{"*/*", "text/html"}, "text/html"},
		{"star slash star with charset after text/plain", srcContentTypes, []string{"text/plain", "*/*;charset=gbk"}, "text/plain"},
		{"star slash star with charset after text/html", srcContentTypes, []string{"text/html", "*/*;charset=gbk"}, "text/html"},
		{"unclosed quote runs into next header", srcContentTypes, []string{`text/html;x="`, "text/plain"}, `text/html;x=", text/plain"`},
		{"unclosed quote in a name runs into next header", srcContentTypes, []string{`text/html;"`, "text/plain"}, "text/html"},

		// Ours.
		{"no header", srcOwn, nil, ""},
		{"no header, empty slice", srcOwn, []string{}, ""},
		{"one empty header", srcOwn, []string{""}, ""},
		{"only star slash star", srcOwn, []string{"*/*"}, ""},
		{"only unparsable", srcOwn, []string{"bogus", "text/", ","}, ""},
		{"one canonical header", srcOwn, []string{"text/javascript"}, "text/javascript"},
		{"tabs and spaces around items", srcOwn, []string{" \ttext/html\t , "}, "text/html"},
		{"empty items between commas", srcOwn, []string{"text/css,,,"}, "text/css"},
		{"case of essence does not matter for carrying", srcOwn, []string{"TEXT/HTML;CHARSET=GBK", "text/html"}, "text/html;charset=GBK"},
		{"quoted charset carried as is", srcOwn, []string{`text/html;charset="a b"`, "text/html"}, `text/html;charset="a b"`},
		{"carried charset is the one that set the essence", srcOwn,
			[]string{"text/plain;charset=gbk", "text/plain;charset=windows-1252", "text/plain"}, "text/plain;charset=gbk"},
		{"empty own charset is kept", srcOwn, []string{"text/html;charset=gbk", `text/html;charset=""`}, `text/html;charset=""`},
		{"essence without charset sets none", srcOwn, []string{"text/html", "text/html;charset=gbk", "text/html"}, "text/html"},
		{"quoted commas in one header", srcOwn, []string{`text/html;x="a,b"`}, `text/html;x="a,b"`},
		{"escaped quote does not close", srcOwn, []string{`text/plain;x="a\",b", text/css`}, "text/css"},
		{"closed quotes do not join headers", srcOwn, []string{`text/plain;x="a"`, "text/css"}, "text/css"},
		{"star slash star does not reset the charset", srcOwn, []string{"text/html;charset=gbk", "*/*", "text/html"}, "text/html;charset=gbk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, ok := mimesniff.Extract(tt.values)
			if tt.want == "" {
				if ok || !m.IsZero() {
					t.Errorf("Extract(%q) = %q, %v; want failure (%s)", tt.values, m, ok, tt.source)
				}
				return
			}
			if !ok || m.String() != tt.want {
				t.Errorf("Extract(%q) = %q, %v; want %q (%s)", tt.values, m, ok, tt.want, tt.source)
			}
		})
	}
}

func TestNoSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, source string
		values       []string
		want         bool
	}{
		{"nosniff", srcOwn, []string{"nosniff"}, true},
		{"uppercase", srcNoSniffJSON, []string{"NOSNIFF"}, true},
		{"mixed case", srcOwn, []string{"NoSniff"}, true},
		{"then another item", srcOwn, []string{"nosniff, x"}, true},
		{"then junk", srcNoSniffJSON, []string{"nosniff,,@#$#%%&^&^*()()11!"}, true},
		{"after another item", srcOwn, []string{"x, nosniff"}, false},
		{"after junk", srcNoSniffJSON, []string{"@#$#%%&^&^*()()11!,nosniff"}, false},
		{"after an empty item", srcNoSniffJSON, []string{",nosniff"}, false},
		{"first of two headers", srcNoSniffJSON, []string{"nosniff", "no"}, true},
		{"second of two headers", srcNoSniffJSON, []string{"no", "nosniff"}, false},
		{"after an empty header", srcNoSniffHeaders, []string{"", "nosniff"}, false},
		{"empty header", srcOwn, []string{""}, false},
		{"no header", srcOwn, nil, false},
		{"no header, empty slice", srcOwn, []string{}, false},
		{"tabs and spaces trimmed", srcOwn, []string{" \tnosniff\t "}, true},
		// web-platform-tests expects "nosniff\f" to be nosniff (the browser's
		// HTTP parser dropped the form feed); Fetch trims only tabs and
		// spaces, and so does NoSniff.
		{"form feed is not trimmed", srcNoSniffJSON, []string{"nosniff\f"}, false},
		{"vertical tab is not trimmed", srcNoSniffJSON, []string{"nosniff\v"}, false},
		{"vertical tab then nosniff", srcNoSniffJSON, []string{"nosniff\v,nosniff"}, false},
		{"single quotes", srcNoSniffJSON, []string{"'NosniFF'"}, false},
		{"double quotes", srcNoSniffJSON, []string{`"nosniFF"`}, false},
		{"quoted comma", srcOwn, []string{`"nosniff, x"`}, false},
		{"unclosed quote into next header", srcOwn, []string{`"`, "nosniff"}, false},
		{"parameter", srcOwn, []string{"nosniff;"}, false},
		{"prefix only", srcOwn, []string{"nosnif"}, false},
		{"NUL after", srcOwn, []string{"nosniff\x00"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := mimesniff.NoSniff(tt.values); got != tt.want {
				t.Errorf("NoSniff(%q) = %v, want %v (%s)", tt.values, got, tt.want, tt.source)
			}
		})
	}
}
