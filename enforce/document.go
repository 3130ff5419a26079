package enforce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/xorigin/xorigin/fetchctx"
	"github.com/xorigin/xorigin/origin"
	"github.com/xorigin/xorigin/site"
)

// documentMediaBytes bounds each Document's media record: a page plays a
// few media URLs, not thousands.
const documentMediaBytes = 64 << 10

// Document is a client (Fetch): a document that a navigation created, as
// far as the requests it makes depend on it. It is what an embedder keeps
// per tab or frame: its origin, its embedder policy, and the state Fetch
// keeps per client or per network partition, which the Transport uses for
// every request made through NewContext or NewRequest:
//
//   - the no-cors media record (opaque response blocking: which URLs
//     already sniffed as audio or video for this client), the document's
//     own;
//   - the CORS-preflight cache, which Fetch keys by network partition key
//     and Chromium by the top-level site (its network isolation key's top
//     frame site): the Transport's one cache, with the top-level site of
//     the document's frame tree in every key, so that documents under the
//     same top-level site share answers and others never see them.
//
// A Document is immutable and safe for concurrent use.
type Document struct {
	url       fetchctx.URL
	base      *url.URL
	origin    origin.Origin
	policy    fetchctx.EmbedderPolicy
	secure    bool
	sandboxed bool
	container *Document
	headerErr error
	state     *clientState
}

// clientState is what a Document lends the Transport through a request's
// context.
type clientState struct {
	partition partitionKey
	media     *mediaRecord
}

// partitionKey is a network partition key's top-level site (HTML: a site
// is an opaque origin, or a scheme and a registrable domain, or the host
// when there is none). The zero value is the Transport's own partition,
// for requests made without a Document.
type partitionKey struct {
	scheme, domain string
	opaque         origin.Origin
}

type clientStateKey struct{}

// clientStateOf returns the client state a request's context carries, or
// nil for a request made without a Document.
func clientStateOf(ctx context.Context) *clientState {
	cs, _ := ctx.Value(clientStateKey{}).(*clientState)
	return cs
}

// ErrNoDocumentURL is returned by NewDocument for a response without a
// request URL to take the document's URL from.
var ErrNoDocumentURL = errors.New("enforce: the navigation response has no request URL")

// NewDocument returns the document that the navigation response resp
// creates, framed in container (nil for a top-level document). resp is the
// final response (http.Client followed the redirects); its URL is the last
// of the URL list a Transport recorded (DeliveryOf), or resp.Request.URL.
//
//   - Origin: the URL's origin (HTML "create and initialize a Document
//     object", step 7 via "determine the origin"), opaque when an enforced
//     Content-Security-Policy (a response header; Report-Only does not
//     count) has a sandbox directive without allow-same-origin (CSP 3
//     §6.3.1.1, HTML "the sandboxed origin browsing context flag"). The
//     container's iframe sandbox attribute is the embedder's to apply
//     (WithIFrameSandbox).
//   - Embedder policy: HTML "obtain an embedder policy" from the
//     Cross-Origin-Embedder-Policy and -Report-Only headers, with their
//     report-to endpoints, only when the document is in a secure context:
//     HTML "secure context" judges the top-level creation URL, which is
//     this document's URL for a top-level document and the top-level
//     document's for a frame. Elsewhere the policy is unsafe-none, whatever
//     the headers say. A header that does not parse falls back to
//     unsafe-none, as the spec says; HeaderErrors reports it.
//
// It fails only when resp has no URL to take the document's from.
func NewDocument(resp *http.Response, container *Document) (*Document, error) {
	if resp == nil {
		return nil, ErrNoDocumentURL
	}
	if d, ok := DeliveryOf(resp); ok && len(d.URLs) > 0 {
		return newDocument(d.URLs[len(d.URLs)-1], resp.Header, container)
	}
	if resp.Request == nil || resp.Request.URL == nil {
		return nil, ErrNoDocumentURL
	}
	return NewDocumentFromURL(resp.Request.URL.String(), resp.Header, container)
}

// NewDocumentFromURL is NewDocument for an embedder that has the final
// URL and the response headers rather than an *http.Response (a crawler
// framework's own response type, a HAR entry).
func NewDocumentFromURL(rawURL string, header http.Header, container *Document) (*Document, error) {
	u, err := fetchctx.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("enforce: the document's URL: %w", err)
	}
	return newDocument(u, header, container)
}

func newDocument(u fetchctx.URL, header http.Header, container *Document) (*Document, error) {
	base, err := url.Parse(u.String())
	if err != nil {
		return nil, fmt.Errorf("enforce: the document's URL: %w", err)
	}
	d := &Document{url: u, base: base, origin: u.Origin(), container: container}
	if sandboxedByCSP(header) {
		d.sandboxed = true
		d.origin = origin.NewOpaque()
	}
	// HTML secure context: the top-level creation URL.
	top := d
	for top.container != nil {
		top = top.container
	}
	d.secure = top.url.IsPotentiallyTrustworthy()
	if d.secure {
		d.policy, d.headerErr = fetchctx.ParseEmbedderPolicy(
			anyCaseValues(header, fetchctx.HeaderCOEP), anyCaseValues(header, fetchctx.HeaderCOEPReportOnly))
	}
	d.state = &clientState{media: newMediaRecord(documentMediaBytes)}
	if container != nil {
		d.state.partition = container.state.partition
	} else {
		d.state.partition = siteOf(d.origin)
	}
	return d, nil
}

// siteOf returns o's site as a partition key (HTML "obtain a site").
func siteOf(o origin.Origin) partitionKey {
	if o.IsOpaque() {
		return partitionKey{opaque: o}
	}
	host := o.Host()
	if rd, ok := site.RegistrableDomain(host); ok && !o.HasIPHost() {
		host = rd
	}
	return partitionKey{scheme: o.Scheme(), domain: host}
}

// anyCaseValues returns the values of name in h, matching the key
// case-insensitively.
func anyCaseValues(h http.Header, name string) []string {
	if v, ok := h[name]; ok {
		return v
	}
	var out []string
	for k, v := range h {
		if strings.EqualFold(k, name) {
			out = append(out, v...)
		}
	}
	return out
}

// sandboxedByCSP reports whether an enforced policy of h's
// Content-Security-Policy headers has a sandbox directive without the
// allow-same-origin token (CSP 3: each header value is a comma-separated
// list of policies, a policy a semicolon-separated list of directives,
// names ASCII case-insensitive; sandbox tokens too, HTML §2.5.5 sandboxing
// flag sets).
func sandboxedByCSP(h http.Header) bool {
	for _, v := range anyCaseValues(h, "Content-Security-Policy") {
		for policy := range strings.SplitSeq(v, ",") {
			for dir := range strings.SplitSeq(policy, ";") {
				f := strings.Fields(dir)
				if len(f) == 0 || !strings.EqualFold(f[0], "sandbox") {
					continue
				}
				sameOrigin := false
				for _, tok := range f[1:] {
					sameOrigin = sameOrigin || strings.EqualFold(tok, "allow-same-origin")
				}
				if !sameOrigin {
					return true
				}
			}
		}
	}
	return false
}

// URL returns the document's URL.
func (d *Document) URL() fetchctx.URL { return d.url }

// Origin returns the document's origin: opaque when a CSP sandbox made it
// so.
func (d *Document) Origin() origin.Origin { return d.origin }

// EmbedderPolicy returns the document's embedder policy.
func (d *Document) EmbedderPolicy() fetchctx.EmbedderPolicy { return d.policy }

// IsSecureContext reports whether the document is a secure context (HTML:
// its top-level creation URL is potentially trustworthy).
func (d *Document) IsSecureContext() bool { return d.secure }

// IsSandboxed reports whether a sandbox (a CSP sandbox directive, or the
// iframe's attribute, without allow-same-origin) gave the document an
// opaque origin.
func (d *Document) IsSandboxed() bool { return d.sandboxed }

// Container returns the document that frames d, nil for a top-level one.
func (d *Document) Container() *Document { return d.container }

// HeaderErrors returns the problems with the response's embedder policy
// headers (each a *fetchctx.HeaderError), which fell back to unsafe-none;
// nil when there were none.
func (d *Document) HeaderErrors() error { return d.headerErr }

// WithIFrameSandbox returns d as the document of an <iframe> whose sandbox
// attribute has the value tokens: with an opaque origin unless the tokens
// (ASCII whitespace-separated, ASCII case-insensitive) include
// allow-same-origin (HTML "parse a sandboxing directive": the sandboxed
// origin browsing context flag). The copy shares d's state. Call it only
// for an iframe that has the attribute (sandbox="" sandboxes all).
func (d *Document) WithIFrameSandbox(tokens string) *Document {
	for _, t := range strings.Fields(tokens) {
		if strings.EqualFold(t, "allow-same-origin") {
			return d
		}
	}
	c := *d
	c.sandboxed = true
	c.origin = origin.NewOpaque()
	return &c
}

// WithEmbedderPolicy returns a copy of d whose embedder policy is p, as if
// the navigation response had sent it (xorigin page --coep proposes one),
// with state of its own.
func (d *Document) WithEmbedderPolicy(p fetchctx.EmbedderPolicy) *Document {
	c := *d
	c.policy = p
	c.headerErr = nil
	c.state = &clientState{partition: d.state.partition, media: newMediaRecord(documentMediaBytes)}
	return &c
}

// WithBaseURL returns d with the document base URL href (HTML: the first
// <base href>), parsed against the document's URL; the copy shares d's
// state.
func (d *Document) WithBaseURL(href string) (*Document, error) {
	ref, err := url.Parse(strings.Trim(href, "\t\n\f\r "))
	if err != nil {
		return nil, fmt.Errorf("enforce: base URL %q: %w", href, err)
	}
	c := *d
	c.base = d.base.ResolveReference(ref)
	return &c, nil
}

// Request returns r (from fetchctx: an element's load, fetch(), ...) as
// this document makes it: its origin and policy the document's, its URL
// list rawURL parsed against the document's URL (HTML "encoding-parsing a
// URL"; Go's net/url resolves references, which differs from the URL
// standard only for malformed ones, such as backslashes).
func (d *Document) Request(r fetchctx.Request, rawURL string) (*fetchctx.Request, error) {
	ref, err := url.Parse(strings.Trim(rawURL, "\t\n\f\r "))
	if err != nil {
		return nil, fmt.Errorf("enforce: %q: %w", rawURL, err)
	}
	u, err := fetchctx.ParseURL(d.base.ResolveReference(ref).String())
	if err != nil {
		return nil, fmt.Errorf("enforce: %q: %w", rawURL, err)
	}
	r.Origin, r.Policy, r.URLs = d.origin, d.policy, []fetchctx.URL{u}
	return &r, nil
}

// ElementRequests returns the requests of every fetch element e starts
// (fetchctx.Element.Loads), made by this document. It returns the
// *fetchctx.ElementError of an element that fetches nothing, and a URL
// error for a load whose URL does not parse (the other loads are returned).
func (d *Document) ElementRequests(e *fetchctx.Element) ([]*fetchctx.Request, error) {
	loads, err := e.Loads()
	if err != nil {
		return nil, err
	}
	out := make([]*fetchctx.Request, 0, len(loads))
	var errs []error
	for _, l := range loads {
		r, err := d.Request(l.Request, l.URL)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

// NewContext returns a copy of ctx carrying r and this document's client
// state, for a Transport: fetchctx.NewContext, plus the document's media
// record and preflight partition.
func (d *Document) NewContext(ctx context.Context, r *fetchctx.Request) context.Context {
	return context.WithValue(fetchctx.NewContext(ctx, r), clientStateKey{}, d.state)
}

// NewRequest returns the http.Request for r, a request this document makes
// (Request, ElementRequests): method r.Method (GET when empty), URL
// r.URLs[0], the context from NewContext. r.Header stays in r: the
// Transport sends the page's headers; set the user agent's own on the
// returned request.
func (d *Document) NewRequest(ctx context.Context, r *fetchctx.Request, body io.Reader) (*http.Request, error) {
	if len(r.URLs) == 0 {
		return nil, errors.New("enforce: the request has no URL")
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	return http.NewRequestWithContext(d.NewContext(ctx, r), method, r.URLs[0].String(), body)
}

// NavigationRequest returns the request of a top-level navigation to
// rawURL that the user started from the browser (the address bar, a
// bookmark): destination document, mode navigate, credentials include,
// redirect manual (the Transport hands each redirect back and http.Client
// follows it), UserInitiated (Sec-Fetch-Site: none), and an opaque origin,
// since no document initiates it. NewDocument takes its final response.
func NavigationRequest(ctx context.Context, rawURL string) (*http.Request, error) {
	nctx, err := NavigationContext(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	return http.NewRequestWithContext(nctx, http.MethodGet, rawURL, nil)
}

// NavigationContext returns ctx carrying NavigationRequest's request, for
// an embedder that makes the http.Request itself (a crawler framework
// whose requests take their context from its own).
func NavigationContext(ctx context.Context, rawURL string) (context.Context, error) {
	u, err := fetchctx.ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	r := &fetchctx.Request{Origin: origin.NewOpaque(), Destination: fetchctx.DestinationDocument,
		Mode: fetchctx.ModeNavigate, Credentials: fetchctx.CredentialsInclude, Redirect: fetchctx.RedirectManual,
		UserInitiated: true, URLs: []fetchctx.URL{u}}
	return fetchctx.NewContext(ctx, r), nil
}
