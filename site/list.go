package site

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/idna"
)

// List is a public suffix list loaded from a public_suffix_list.dat file, to
// pin or refresh the list golang.org/x/net embeds. It implements
// PublicSuffixList with the Public Suffix List algorithm (normal, wildcard
// and exception rules; the implicit "*" rule), and is immutable.
type List struct {
	name      string
	rules     map[string]bool // normal rules
	wildcards map[string]bool // "*.x" stored as "x"
	except    map[string]bool // "!x" stored as "x"
}

// ListError reports a line of a list file that cannot be used.
type ListError struct {
	Name string // the list's name, as given to ParseList
	Line int    // 1-based line number
	Msg  string
}

func (e *ListError) Error() string {
	return fmt.Sprintf("site: %s:%d: %s", e.Name, e.Line, e.Msg)
}

// ParseList reads a list in the public_suffix_list.dat format. name
// identifies it in errors and in String (a path, or a version).
func ParseList(r io.Reader, name string) (*List, error) {
	l := &List{name: name, rules: map[string]bool{}, wildcards: map[string]bool{}, except: map[string]bool{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "//") {
			continue
		}
		// A rule is the first white-space delimited token of its line.
		if i := strings.IndexAny(line, " \t"); i >= 0 {
			line = line[:i]
		}
		kind := byte(0)
		switch {
		case strings.HasPrefix(line, "!"):
			kind, line = '!', line[1:]
		case strings.HasPrefix(line, "*."):
			kind, line = '*', line[2:]
		}
		if line == "" || strings.Contains(line, "*") || strings.HasPrefix(line, ".") || strings.HasSuffix(line, ".") || strings.Contains(line, "..") {
			return nil, &ListError{name, n, fmt.Sprintf("malformed rule %q", sc.Text())}
		}
		ascii, err := idna.Lookup.ToASCII(line)
		if err != nil {
			return nil, &ListError{name, n, fmt.Sprintf("rule %q: %v", line, err)}
		}
		switch kind {
		case '!':
			l.except[ascii] = true
		case '*':
			l.wildcards[ascii] = true
		default:
			l.rules[ascii] = true
		}
	}
	if err := sc.Err(); err != nil {
		return nil, &ListError{name, n + 1, err.Error()}
	}
	if len(l.rules)+len(l.wildcards) == 0 {
		return nil, &ListError{name, n, "no rules"}
	}
	return l, nil
}

// String returns the name given to ParseList.
func (l *List) String() string { return l.name }

// PublicSuffix implements the Public Suffix List algorithm on domain, a
// lowercase ASCII domain without a trailing dot.
func (l *List) PublicSuffix(domain string) string {
	// Algorithm step 3: an exception rule prevails; drop its leftmost label.
	for s := domain; ; {
		if l.except[s] {
			if i := strings.IndexByte(s, '.'); i >= 0 {
				return s[i+1:]
			}
			return s
		}
		i := strings.IndexByte(s, '.')
		if i < 0 {
			break
		}
		s = s[i+1:]
	}
	// Step 4: otherwise the matching rule with the most labels, trying
	// suffixes from the longest.
	for s := domain; ; {
		i := strings.IndexByte(s, '.')
		// A wildcard's "*" stands for one label, never an empty one.
		if l.rules[s] || i > 0 && l.wildcards[s[i+1:]] {
			return s
		}
		if i < 0 {
			// Step 2: no rule matches: the implicit "*" rule.
			return s
		}
		s = s[i+1:]
	}
}
