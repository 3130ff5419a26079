package browsertest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/xorigin/xorigin/enforce"
	"github.com/xorigin/xorigin/internal/conformance"
)

// File is a fixture file to run, and the profiles whose engines Chromium is
// compared with.
type File struct {
	Name    string
	Data    []byte
	Profile enforce.Profile
	// Profiles, when set, lists the profiles instead of Profile: each
	// case is observed in the browser once, and the observation compared
	// with each profile's engine (the browser does not depend on it).
	Profiles []enforce.Profile
}

// profiles returns the profiles f is compared under.
func (f *File) profiles() []enforce.Profile {
	if len(f.Profiles) > 0 {
		return f.Profiles
	}
	return []enforce.Profile{f.Profile}
}

// item is one case to run, with its responses as the fixture lists them.
type item struct {
	file string
	// profile is the first of profiles, the one the page is planned with.
	profile   enforce.Profile
	profiles  []enforce.Profile
	c         *conformance.Case
	raw       []rawHop
	preflight *rawHop
	// requestURL is the fixture's request.url, the URL the page asks for
	// (mixed content may upgrade it before responses[0]).
	requestURL string
}

// load reads f's cases with the conformance loader, which validates them,
// and its responses again as written: the loader keeps headers in a map,
// which loses their order and the case of their names, and the servers
// send them as listed. A case that does not load is in the error, as the
// conformance command reports it; the others are returned.
func load(f File) ([]item, error) {
	cases, loadErr := conformance.Load(f.Name, f.Data)
	var top struct {
		Cases []struct {
			Name    string `json:"name"`
			Request struct {
				URL string `json:"url"`
			} `json:"request"`
			Preflight *struct {
				Status  *int       `json:"status"`
				Headers [][]string `json:"headers"`
			} `json:"preflight"`
			Responses []struct {
				URL        string     `json:"url"`
				Status     *int       `json:"status"`
				Headers    [][]string `json:"headers"`
				Body       *string    `json:"body"`
				BodyBase64 *string    `json:"bodyBase64"`
			} `json:"responses"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(f.Data, &top); err != nil {
		if loadErr != nil {
			return nil, loadErr
		}
		return nil, fmt.Errorf("browsertest: %s: %w", f.Name, err)
	}
	raw := map[string][]rawHop{}
	preflights := map[string]*rawHop{}
	requestURLs := map[string]string{}
	pairs := func(kvs [][]string) [][2]string {
		var out [][2]string
		for _, kv := range kvs {
			if len(kv) == 2 {
				out = append(out, [2]string{kv[0], kv[1]})
			}
		}
		return out
	}
	for _, c := range top.Cases {
		requestURLs[c.Name] = c.Request.URL
		if p := c.Preflight; p != nil {
			h := &rawHop{status: 200, headers: pairs(p.Headers)}
			if p.Status != nil {
				h.status = *p.Status
			}
			preflights[c.Name] = h
		}
		var hops []rawHop
		for _, r := range c.Responses {
			h := rawHop{url: r.URL, status: 200, headers: pairs(r.Headers)}
			if r.Status != nil {
				h.status = *r.Status
			}
			switch {
			case r.Body != nil:
				h.body = []byte(*r.Body)
			case r.BodyBase64 != nil:
				h.body, _ = base64.StdEncoding.DecodeString(*r.BodyBase64)
			}
			hops = append(hops, h)
		}
		raw[c.Name] = hops
	}
	items := make([]item, 0, len(cases))
	for i := range cases {
		c := &cases[i]
		ps := f.profiles()
		items = append(items, item{file: f.Name, profile: ps[0], profiles: ps, c: c, raw: raw[c.Name], preflight: preflights[c.Name], requestURL: requestURLs[c.Name]})
	}
	return items, loadErr
}

// rawHop is a response as the fixture lists it.
type rawHop struct {
	url     string
	status  int
	headers [][2]string
	body    []byte
}
