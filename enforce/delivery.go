package enforce

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/xorigin/xorigin/fetchctx"
)

// ResponseType is a response's type as Fetch filters it for its
// initiator: what script may read of it.
type ResponseType uint8

// The response types.
const (
	// ResponseBasic: a same-origin response; script reads every header
	// but Set-Cookie, and the body.
	ResponseBasic ResponseType = iota
	// ResponseCORS: a CORS response; script reads the CORS-safelisted
	// response headers, those Access-Control-Expose-Headers lists, and the
	// body.
	ResponseCORS
	// ResponseOpaque: a no-cors response from another origin; script reads
	// nothing (status 0, no header, no body), an element may render it.
	ResponseOpaque
	// ResponseOpaqueRedirect: a redirect under redirect mode "manual";
	// script reads nothing.
	ResponseOpaqueRedirect
)

var responseTypeNames = [...]string{"basic", "cors", "opaque", "opaqueredirect"}

// String returns the type as Response.type spells it: "basic", "cors",
// "opaque" or "opaqueredirect".
func (t ResponseType) String() string {
	if int(t) < len(responseTypeNames) {
		return responseTypeNames[t]
	}
	return fmt.Sprintf("ResponseType(%d)", t)
}

// Delivery is what a Transport records of a response it hands back.
type Delivery struct {
	// Type is the response's type for its initiator.
	Type ResponseType
	// Filtered says the Transport filtered the response as script sees it
	// (TransportConfig.Unfiltered unset, destination ""): the headers and
	// body are those of Fetch's filtered response of Type.
	Filtered bool
	// URLs is the URL list: the URL first requested, then each redirect's
	// target; the last is the response's URL.
	URLs []fetchctx.URL
	// Verdict is the decision on the response (Allowed, or Stripped).
	Verdict Verdict
}

// deliveryKey is the context key of the Delivery a Transport records in
// the Request of each response it hands back.
type deliveryKey struct{}

// DeliveryOf returns what the Transport recorded of resp, a response it
// handed back (the last one, for a client that followed redirects); ok is
// false for any other response.
func DeliveryOf(resp *http.Response) (d Delivery, ok bool) {
	if resp == nil || resp.Request == nil {
		return Delivery{}, false
	}
	p, ok := resp.Request.Context().Value(deliveryKey{}).(*Delivery)
	if !ok {
		return Delivery{}, false
	}
	return *p, true
}

// deliveryContext is the context of the Request of a response a
// Transport hands back: its parent's, with the Delivery as the value of
// deliveryKey (context.WithValue's job, without a separate allocation).
type deliveryContext struct {
	context.Context
	d Delivery
}

// Value returns the Delivery for deliveryKey, the parent's value for any
// other key.
func (c *deliveryContext) Value(key any) any {
	if _, ok := key.(deliveryKey); ok {
		return &c.d
	}
	return c.Context.Value(key)
}

// responseType is the type of the response to a hop of req whose
// response tainting is t.
func responseType(req *fetchctx.Request, t fetchctx.Tainting) ResponseType {
	switch {
	case req.Mode == fetchctx.ModeNavigate || t == fetchctx.TaintingBasic:
		return ResponseBasic
	case t == fetchctx.TaintingCORS:
		return ResponseCORS
	}
	return ResponseOpaque
}

// readsResponse reports whether script reads the response to req, rather
// than an element rendering it: destination "" (fetch(), XMLHttpRequest,
// EventSource, sendBeacon), not a navigation.
func readsResponse(req *fetchctx.Request) bool {
	return req.Destination == fetchctx.DestinationEmpty && req.Mode != fetchctx.ModeNavigate
}

// filter makes resp the filtered response of type typ (Fetch: basic and
// opaque filtered responses; a CORS one is filterCORS's); canonical says
// resp's header names are all canonical, cookies that Set-Cookie or
// Set-Cookie2 is among them (in any case).
func filter(resp *http.Response, typ ResponseType, canonical, cookies bool) {
	switch typ {
	case ResponseBasic:
		// A basic filtered response: every header but the forbidden
		// response-header names (matched byte-case-insensitively).
		if !cookies {
			break
		}
		if canonical {
			delete(resp.Header, "Set-Cookie")
			delete(resp.Header, "Set-Cookie2")
			break
		}
		for name := range resp.Header {
			if isForbiddenResponseName(name) {
				delete(resp.Header, name)
			}
		}
	case ResponseCORS:
		// Never reached (filterCORS filters a CORS response): fail
		// closed, with no header at all.
		clear(resp.Header)
	default:
		// An opaque (or opaque-redirect) filtered response: status 0, no
		// header, no body.
		strip(resp)
		resp.StatusCode, resp.Status = 0, ""
	}
}

// maxFoldCompares bounds the name comparisons filterCORS makes one by one
// (header names times the bytes of Access-Control-Expose-Headers); past
// it, the names are searched in Engine.ExposedHeaders' sorted list.
const maxFoldCompares = 1 << 12

// filterCORS makes h, the header of the response hop to the last URL of
// req, that of a CORS filtered response (Fetch): the CORS-safelisted
// response-header names and those Access-Control-Expose-Headers lists, but
// never Set-Cookie or Set-Cookie2. It keeps the names Engine.ExposedHeaders
// lists, deciding each in place instead of building the list.
func (e *Engine) filterCORS(h http.Header, req *fetchctx.Request, hop *Response) {
	listed := hop.Header["Access-Control-Expose-Headers"] // canonical keys, as ParseResponse makes them
	n := 0
	for _, v := range listed {
		n += len(v)
	}
	if n*len(h) > maxFoldCompares {
		// A long list against many names: O(m log n), not O(m·n).
		exposed := e.ExposedHeaders(req, hop)
		for name := range h {
			if _, ok := slices.BinarySearchFunc(exposed, name, compareFold); !ok {
				delete(h, name)
			}
		}
		return
	}
	// Main fetch, step 14.1: Access-Control-Expose-Headers, extracted
	// (failure lists nothing); "*" means every name, for requests without
	// credentials.
	if !validList(listed) {
		listed = nil
	}
	all := req.Credentials != fetchctx.CredentialsInclude && listHas(listed, "*")
	for name := range h {
		switch {
		case isForbiddenResponseName(name):
			// No filtered response has them.
			delete(h, name)
		case all || isCORSSafelistedResponseName(name) || listHasFold(listed, name):
			// CORS filtered response: safelisted or exposed.
		default:
			delete(h, name)
		}
	}
}

// isForbiddenResponseName reports whether name is a forbidden
// response-header name (Fetch: Set-Cookie, Set-Cookie2), in any case.
func isForbiddenResponseName(name string) bool {
	return equalFold(name, "Set-Cookie") || equalFold(name, "Set-Cookie2")
}

// isCORSSafelistedResponseName reports whether name is a CORS-safelisted
// response-header name (Fetch), in any case.
func isCORSSafelistedResponseName(name string) bool {
	var n string
	switch len(name) {
	case 6:
		n = "Pragma"
	case 7:
		n = "Expires"
	case 12:
		n = "Content-Type"
	case 13:
		return name == "Cache-Control" || name == "Last-Modified" ||
			equalFold(name, "Cache-Control") || equalFold(name, "Last-Modified")
	case 14:
		n = "Content-Length"
	case 16:
		n = "Content-Language"
	default:
		return false
	}
	// The canonical spelling first: one comparison of memory.
	return name == n || equalFold(name, n)
}

// listHasFold reports whether name is an item of the lists in values,
// matched byte-case-insensitively.
func listHasFold(values []string, name string) bool {
	for item := range listItems(values) {
		if equalFold(item, name) {
			return true
		}
	}
	return false
}
