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

// filter makes resp the filtered response of type typ (Fetch: basic, CORS
// and opaque filtered responses), given exposed, the header names script
// may read of a CORS response (Engine.ExposedHeaders); canonical says
// resp's header names are all canonical.
func filter(resp *http.Response, typ ResponseType, exposed []string, canonical bool) {
	switch typ {
	case ResponseBasic:
		// A basic filtered response: every header but the forbidden
		// response-header names (matched byte-case-insensitively).
		if canonical {
			delete(resp.Header, "Set-Cookie")
			delete(resp.Header, "Set-Cookie2")
			break
		}
		for name := range resp.Header {
			if equalFold(name, "Set-Cookie") || equalFold(name, "Set-Cookie2") {
				delete(resp.Header, name)
			}
		}
	case ResponseCORS:
		// A CORS filtered response: the CORS-safelisted response-header
		// names and the exposed ones (exposed holds both, lowercase,
		// sorted).
		for name := range resp.Header {
			if _, ok := slices.BinarySearchFunc(exposed, name, compareFold); !ok {
				delete(resp.Header, name)
			}
		}
	default:
		// An opaque (or opaque-redirect) filtered response: status 0, no
		// header, no body.
		strip(resp)
		resp.StatusCode, resp.Status = 0, ""
	}
}
