package fetchctx

import (
	"fmt"
	"net/http"
	"strings"
)

// This file derives a Request from what initiates it, as HTML, Fetch, CSS,
// Service Workers and Beacon do: an element and its attributes (Element,
// ForElement), a CSS fetch (ForCSS), a worker's script (ForWorker), and the
// script APIs (ForFetch, ForXHR, ForEventSource, ForBeacon). Each function
// fills Destination, Mode, Credentials, Redirect, Method and Header; the
// client's part (Origin, Policy) and the URL list are the caller's, or
// enforce.Document's, which knows the document's origin and base URL.

// CORSSettings is the state of a CORS settings attribute (HTML §2.5.4,
// "CORS settings attributes"), such as crossorigin: the zero value,
// CORSNone, is the state of a missing attribute.
type CORSSettings uint8

// The CORS settings attribute states.
const (
	// CORSNone: no attribute ("No CORS"): a no-cors request, credentials
	// included.
	CORSNone CORSSettings = iota
	// CORSAnonymous: crossorigin, crossorigin="" or "anonymous", and any
	// invalid value (the invalid value default).
	CORSAnonymous
	// CORSUseCredentials: crossorigin="use-credentials".
	CORSUseCredentials
)

var corsSettingsNames = [...]string{"no-cors", "anonymous", "use-credentials"}

// String returns "no-cors" (no attribute), "anonymous" or "use-credentials".
func (s CORSSettings) String() string {
	return enumString(corsSettingsNames[:], int(s), "CORSSettings")
}

// ParseCORSSettings returns the state of a CORS settings attribute whose
// value is value, present reporting whether the attribute is there at all.
// HTML §2.5.4: the keywords are ASCII case-insensitive; the missing value
// default is No CORS, the empty value and the invalid value default are
// Anonymous.
func ParseCORSSettings(value string, present bool) CORSSettings {
	switch {
	case !present:
		return CORSNone
	case strings.EqualFold(value, "use-credentials"):
		return CORSUseCredentials
	}
	return CORSAnonymous
}

// CredentialsMode returns the attribute's "CORS settings attribute
// credentials mode" (HTML §2.5.4): include for Use Credentials,
// same-origin otherwise (No CORS included). Module scripts use it.
func (s CORSSettings) CredentialsMode() Credentials {
	if s == CORSUseCredentials {
		return CredentialsInclude
	}
	return CredentialsSameOrigin
}

// PotentialCORS implements HTML's "create a potential-CORS request"
// (§2.5.4) for destination dest and attribute state s: mode no-cors for
// No CORS (same-origin instead when sameOriginFallback is set, as for
// <track>) and cors otherwise; credentials include, same-origin for
// Anonymous. The result has no origin, policy or URL.
func PotentialCORS(dest Destination, s CORSSettings, sameOriginFallback bool) Request {
	// Steps 1-2: the mode from the attribute's state, and the fallback.
	mode := ModeCORS
	if s == CORSNone {
		mode = ModeNoCORS
		if sameOriginFallback {
			mode = ModeSameOrigin
		}
	}
	// Steps 3-4: credentials include, same-origin for Anonymous.
	creds := CredentialsInclude
	if s == CORSAnonymous {
		creds = CredentialsSameOrigin
	}
	// Step 5: the request, its destination dest.
	return Request{Destination: dest, Mode: mode, Credentials: creds}
}

// ElementErrorKind says why an element yields no request.
type ElementErrorKind uint8

// The element error kinds.
const (
	// ElementUnknown: no element of that name fetches a subresource or
	// navigates (<div>, <a>, a custom element).
	ElementUnknown ElementErrorKind = iota + 1
	// ElementFetchesNothing: the element fetches nothing as it stands (a
	// <script> without src, a <link> whose rel types fetch nothing, an
	// <iframe> with srcdoc, a classic script with nomodule).
	ElementFetchesNothing
	// ElementNeedsOwner: a <source> or <track> whose fetch depends on the
	// element it belongs to (Element.Owner) was given none.
	ElementNeedsOwner
)

var elementErrorKindNames = [...]string{"", "unknown element", "fetches nothing", "needs its owner element"}

// String returns the kind's description.
func (k ElementErrorKind) String() string {
	return enumString(elementErrorKindNames[:], int(k), "ElementErrorKind")
}

// ElementError reports an element from which no request can be derived.
type ElementError struct {
	Tag    string
	Kind   ElementErrorKind
	Detail string // what about the element, when Kind alone does not say
}

func (e *ElementError) Error() string {
	s := fmt.Sprintf("fetchctx: <%s>: %s", e.Tag, e.Kind)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Element is an HTML element as far as its fetches depend on it.
type Element struct {
	// Tag is the element's local name; matched ASCII case-insensitively.
	Tag string
	// Attr returns an attribute's value, and whether the element has it.
	// Names are asked in lowercase. Nil means no attributes.
	Attr func(name string) (value string, ok bool)
	// Owner is the element whose state decides this one's fetch, when that
	// is another element: for a <source> or <track>, its <audio> or
	// <video> (whose crossorigin attribute applies); for a <source> in a
	// <picture>, the picture's <img> (which makes the request, with its
	// crossorigin attribute). Nil otherwise.
	Owner *Element
}

// Load is one fetch an element starts: the request, and the attribute
// whose value is the URL to fetch (not yet parsed against the document's
// base URL).
type Load struct {
	// Attr is the attribute the URL comes from: "src", "href", "srcset",
	// "data" or "poster".
	Attr string
	// URL is the URL as written, with surrounding ASCII white space
	// removed; for srcset, one candidate's URL.
	URL string
	// Request is the request for it: Destination, Mode, Credentials and
	// Redirect set; Origin, Policy and URLs are the document's to fill.
	Request Request
}

func (e *Element) attr(name string) (string, bool) {
	if e == nil || e.Attr == nil {
		return "", false
	}
	return e.Attr(name)
}

// crossOrigin returns the state of e's crossorigin attribute.
func (e *Element) crossOrigin() CORSSettings {
	v, ok := e.attr("crossorigin")
	return ParseCORSSettings(v, ok)
}

// urlAttr returns the value of attribute name, trimmed of ASCII white
// space, and whether it is there and not empty (HTML: an empty src fetches
// nothing useful; browsers fire error without a request).
func (e *Element) urlAttr(name string) (string, bool) {
	v, ok := e.attr(name)
	v = strings.Trim(v, asciiWhitespace)
	return v, ok && v != ""
}

const asciiWhitespace = "\t\n\f\r "

// ForElement returns the request for the first fetch of element tag with
// attributes attr: what Element{Tag: tag, Attr: attr}.Loads() gives first.
// It returns an *ElementError when the element fetches nothing.
func ForElement(tag string, attr func(name string) (string, bool)) (Request, error) {
	loads, err := (&Element{Tag: tag, Attr: attr}).Loads()
	if err != nil {
		return Request{}, err
	}
	return loads[0].Request, nil
}

// Loads returns every fetch the element starts, in document order of the
// attributes: for an <img>, its src and each srcset candidate (a browser
// fetches one of them; a crawler checking a page wants each), for a
// <video>, its src and its poster, for a <link>, one per rel type that
// fetches. It returns an *ElementError when there is none: ElementUnknown
// for an element that never fetches, ElementFetchesNothing for one that
// does not as it stands.
//
// The rows, each with the spec text it follows:
//
//   - img (src, srcset), and a <picture>'s source (srcset, with the <img>
//     as Owner): HTML "update the image data" and "select an image
//     source": create a potential-CORS request, destination image, the
//     img's crossorigin.
//   - input type=image (src): HTML §4.10.5.1.16, "image button": destination
//     image, credentials include: no-cors (crossorigin does not apply).
//   - script: HTML "prepare the script element". A classic script (no type,
//     an empty one, or a JavaScript MIME type; not with nomodule, which a
//     module-capable browser skips) is "fetch a classic
//     script": a potential-CORS request, destination script. A module
//     script (type=module) is "fetch an external module script graph" →
//     "fetch a single module script": mode cors, credentials the
//     crossorigin attribute's credentials mode. importmap, speculationrules
//     and data blocks fetch nothing.
//   - link: HTML §4.6.7 link types, each through "create a link request"
//     (a potential-CORS request with the link's crossorigin): stylesheet
//     (destination style), icon (image), preload (the destination "as"
//     translates to by "translate a preload destination": fetch → "",
//     font, image, script, style, track; any other "as" fetches nothing),
//     modulepreload ("fetch a modulepreload module script graph": mode
//     cors, crossorigin's credentials mode, destination "as" if
//     script-like, else script when absent; a worker destination is
//     same-origin, as for a top-level worker script), manifest (mode cors,
//     credentials omit unless use-credentials: the Web App Manifest's
//     fetch, as Chromium's ManifestFetcher makes it; HTML's link type
//     manifest leaves the fetch to that spec).
//     Other types (prefetch, preconnect, alternate alone) fetch nothing here.
//   - audio, video (src) and their source (src, with the media element as
//     Owner): HTML media element "resource fetch algorithm": a potential-CORS
//     request, destination audio or video, the media element's crossorigin.
//   - track (src, the media element as Owner): HTML "start the track
//     processing model": a potential-CORS request, destination
//     track, the media element's crossorigin, same-origin fallback set.
//   - video poster: HTML §4.8.9, poster frame: destination image,
//     credentials include (no-cors, crossorigin does not apply).
//   - iframe, frame (src; not an iframe with srcdoc, which wins), object
//     (data), embed (src): HTML "create navigation params by fetching":
//     mode navigate, credentials include, redirect manual, destination
//     iframe, frame, object or embed.
func (e *Element) Loads() ([]Load, error) {
	tag := strings.ToLower(e.Tag)
	var loads []Load
	add := func(attr, url string, r Request) { loads = append(loads, Load{attr, url, r}) }
	fromAttr := func(attr string, r Request) {
		if u, ok := e.urlAttr(attr); ok {
			add(attr, u, r)
		}
	}
	fromSrcset := func(r Request) {
		if v, ok := e.attr("srcset"); ok {
			for _, u := range SrcsetURLs(v) {
				add("srcset", u, r)
			}
		}
	}
	switch tag {
	case "img":
		r := PotentialCORS(DestinationImage, e.crossOrigin(), false)
		fromAttr("src", r)
		fromSrcset(r)
	case "input":
		if t, _ := e.attr("type"); strings.EqualFold(strings.Trim(t, asciiWhitespace), "image") {
			fromAttr("src", Request{Destination: DestinationImage, Mode: ModeNoCORS, Credentials: CredentialsInclude})
		}
	case "script":
		r, ok, err := e.scriptRequest()
		if err != nil {
			return nil, err
		}
		if ok {
			fromAttr("src", r)
		}
	case "link":
		if err := e.linkLoads(fromAttr); err != nil {
			return nil, err
		}
	case "audio", "video":
		dest := DestinationAudio
		if tag == "video" {
			dest = DestinationVideo
		}
		fromAttr("src", PotentialCORS(dest, e.crossOrigin(), false))
		if tag == "video" {
			fromAttr("poster", Request{Destination: DestinationImage, Mode: ModeNoCORS, Credentials: CredentialsInclude})
		}
	case "source":
		owner := ""
		if e.Owner != nil {
			owner = strings.ToLower(e.Owner.Tag)
		}
		switch owner {
		case "img", "picture":
			// The <img> of the <picture> makes the request, with its own
			// crossorigin attribute.
			r := PotentialCORS(DestinationImage, e.Owner.crossOrigin(), false)
			fromSrcset(r)
		case "audio", "video":
			dest := DestinationAudio
			if owner == "video" {
				dest = DestinationVideo
			}
			fromAttr("src", PotentialCORS(dest, e.Owner.crossOrigin(), false))
		default:
			return nil, &ElementError{Tag: tag, Kind: ElementNeedsOwner, Detail: "the <picture>'s <img>, or the <audio> or <video>"}
		}
	case "track":
		if e.Owner == nil {
			return nil, &ElementError{Tag: tag, Kind: ElementNeedsOwner, Detail: "the <audio> or <video>"}
		}
		fromAttr("src", PotentialCORS(DestinationTrack, e.Owner.crossOrigin(), true))
	case "iframe":
		if _, ok := e.attr("srcdoc"); ok {
			return nil, &ElementError{Tag: tag, Kind: ElementFetchesNothing, Detail: "srcdoc"}
		}
		fromAttr("src", navigationRequest(DestinationIFrame))
	case "frame":
		fromAttr("src", navigationRequest(DestinationFrame))
	case "object":
		fromAttr("data", navigationRequest(DestinationObject))
	case "embed":
		fromAttr("src", navigationRequest(DestinationEmbed))
	default:
		return nil, &ElementError{Tag: tag, Kind: ElementUnknown}
	}
	if len(loads) == 0 {
		return nil, &ElementError{Tag: tag, Kind: ElementFetchesNothing}
	}
	return loads, nil
}

// navigationRequest is the request of a child navigable's navigation (HTML
// "create navigation params by fetching"): mode navigate,
// credentials include, redirect manual (the navigation follows redirects
// itself).
func navigationRequest(dest Destination) Request {
	return Request{Destination: dest, Mode: ModeNavigate, Credentials: CredentialsInclude, Redirect: RedirectManual}
}

// moduleRequest implements the request of HTML's "fetch a single module
// script": mode cors, credentials from the fetch options, destination
// dest; a top-level worker script is same-origin (whatwg/html#6544).
func moduleRequest(dest Destination, creds Credentials, topLevel bool) Request {
	r := Request{Destination: dest, Mode: ModeCORS, Credentials: creds}
	if topLevel && (dest == DestinationWorker || dest == DestinationSharedWorker || dest == DestinationServiceWorker) {
		r.Mode = ModeSameOrigin
	}
	return r
}

// scriptRequest is the request of a <script> (HTML "prepare the script
// element": its type, nomodule, then the fetch);
// ok is false for a script that fetches nothing whatever its src.
func (e *Element) scriptRequest() (r Request, ok bool, err error) {
	typ, hasType := e.attr("type")
	lang, hasLang := e.attr("language")
	var blockType string
	switch {
	case hasType && typ == "", !hasType && (!hasLang || lang == ""):
		// The script block's type string is a JavaScript MIME type.
		blockType = "text/javascript"
	case hasType:
		blockType = strings.Trim(typ, asciiWhitespace)
	default:
		blockType = "text/" + lang
	}
	switch {
	case isJavaScriptMIMEEssence(blockType):
		// A module-capable browser skips a classic script with
		// nomodule.
		if _, nomodule := e.attr("nomodule"); nomodule {
			return Request{}, false, &ElementError{Tag: "script", Kind: ElementFetchesNothing, Detail: "nomodule"}
		}
		// "Fetch a classic script", step 1: a potential-CORS request.
		return PotentialCORS(DestinationScript, e.crossOrigin(), false), true, nil
	case strings.EqualFold(blockType, "module"):
		// "Fetch an external module script graph": the options'
		// credentials mode is crossorigin's credentials mode.
		return moduleRequest(DestinationScript, e.crossOrigin().CredentialsMode(), false), true, nil
	}
	// importmap (external import maps are an error), speculationrules and
	// data blocks: nothing is fetched.
	return Request{}, false, &ElementError{Tag: "script", Kind: ElementFetchesNothing, Detail: fmt.Sprintf("type %q", blockType)}
}

// isJavaScriptMIMEEssence reports whether s is a JavaScript MIME type
// essence match (MIME Sniffing §4.6), as the script element's type is.
func isJavaScriptMIMEEssence(s string) bool {
	switch strings.ToLower(s) {
	case "application/ecmascript", "application/javascript", "application/x-ecmascript",
		"application/x-javascript", "text/ecmascript", "text/javascript", "text/javascript1.0",
		"text/javascript1.1", "text/javascript1.2", "text/javascript1.3", "text/javascript1.4",
		"text/javascript1.5", "text/jscript", "text/livescript", "text/x-ecmascript",
		"text/x-javascript":
		return true
	}
	return false
}

// linkLoads adds the fetches of a <link>, one per rel type that fetches.
func (e *Element) linkLoads(fromAttr func(string, Request)) error {
	rel, _ := e.attr("rel")
	co := e.crossOrigin()
	seen := map[string]bool{}
	for _, t := range strings.Fields(strings.ToLower(rel)) {
		if seen[t] {
			continue
		}
		seen[t] = true
		switch t {
		case "stylesheet":
			// §4.6.7.20: "create a link request", destination style.
			fromAttr("href", PotentialCORS(DestinationStyle, co, false))
		case "icon":
			// §4.6.7.8: the default fetch, destination image.
			fromAttr("href", PotentialCORS(DestinationImage, co, false))
		case "preload":
			// §4.6.7.15: "translate a preload destination"; null (an
			// unknown or missing as) fetches nothing.
			as, _ := e.attr("as")
			if d, ok := preloadDestination(as); ok {
				fromAttr("href", PotentialCORS(d, co, false))
			}
		case "modulepreload":
			// §4.6.7.12: the destination is as's, or script; one that is
			// not script-like fetches nothing.
			d := DestinationScript
			if as, ok := e.attr("as"); ok {
				var err error
				if d, err = ParseDestination(strings.ToLower(as)); err != nil || !isScriptLike(d) {
					continue
				}
			}
			fromAttr("href", moduleRequest(d, co.CredentialsMode(), true))
		case "manifest":
			// The Web App Manifest's fetch (and Chromium's): cors,
			// credentials omit unless use-credentials.
			r := Request{Destination: DestinationManifest, Mode: ModeCORS, Credentials: CredentialsOmit}
			if co == CORSUseCredentials {
				r.Credentials = CredentialsInclude
			}
			fromAttr("href", r)
		}
	}
	return nil
}

// preloadDestination implements HTML's "translate a preload destination".
func preloadDestination(as string) (Destination, bool) {
	switch strings.ToLower(as) {
	case "fetch":
		return DestinationEmpty, true // Fetch, "translate": fetch is ""
	case "font":
		return DestinationFont, true
	case "image":
		return DestinationImage, true
	case "script":
		return DestinationScript, true
	case "style":
		return DestinationStyle, true
	case "track":
		return DestinationTrack, true
	}
	return 0, false
}

// isScriptLike reports whether d is script-like (Fetch: audioworklet,
// paintworklet, script, serviceworker, sharedworker, worker), or json,
// which modulepreload also takes.
func isScriptLike(d Destination) bool {
	switch d {
	case DestinationAudioWorklet, DestinationPaintWorklet, DestinationScript, DestinationServiceWorker,
		DestinationSharedWorker, DestinationWorker, DestinationJSON:
		return true
	}
	return false
}

// SrcsetURLs returns the URLs of a srcset attribute's image candidates, in
// order, as HTML's "parse a srcset attribute" (steps 1-8 and 10) splits
// them: candidates are separated by commas, a URL ends at white space (a
// trailing comma ends it too), and descriptors, which may hold commas in
// parentheses, are skipped.
func SrcsetURLs(s string) []string {
	var urls []string
	i := 0
	for {
		// Step 4: skip white space and commas.
		for i < len(s) && (strings.IndexByte(asciiWhitespace, s[i]) >= 0 || s[i] == ',') {
			i++
		}
		if i >= len(s) {
			return urls
		}
		// Step 6: the URL runs to white space.
		start := i
		for i < len(s) && strings.IndexByte(asciiWhitespace, s[i]) < 0 {
			i++
		}
		u := s[start:i]
		// Step 7: trailing commas end the candidate, with no descriptors.
		trimmed := strings.TrimRight(u, ",")
		if trimmed != "" {
			urls = append(urls, trimmed)
		}
		if len(trimmed) < len(u) {
			continue
		}
		// Step 8: skip the descriptors, to a comma outside parentheses.
		inParens := false
		for ; i < len(s); i++ {
			c := s[i]
			if c == '(' {
				inParens = true
			} else if c == ')' {
				inParens = false
			} else if c == ',' && !inParens {
				i++
				break
			}
		}
	}
}

// ForCSS returns the request CSS makes for a resource a style sheet
// references, by CSS Values 4, "fetch a style resource": step 4 makes a
// request with the caller's CORS mode and credentials mode same-origin,
// and step 5 sets credentials include when the mode is no-cors. Fonts
// (@font-face src; CSS Fonts 4, "fetch a font") are cors, so same-origin;
// images (url() in background-image, list-style-image, border-image, ...;
// CSS Images 4, "fetch an external image for a stylesheet") and @import
// sheets (CSS Cascade 4, "fetch an @import", destination style) are
// no-cors, so include. Any other destination is an error.
func ForCSS(dest Destination) (Request, error) {
	switch dest {
	case DestinationFont:
		return Request{Destination: dest, Mode: ModeCORS, Credentials: CredentialsSameOrigin}, nil
	case DestinationImage, DestinationStyle:
		return Request{Destination: dest, Mode: ModeNoCORS, Credentials: CredentialsInclude}, nil
	}
	return Request{}, fmt.Errorf("fetchctx: CSS fetches no %q resource (font, image or style)", dest)
}

// WorkerType is a worker's script type (WorkerOptions.type, or
// RegistrationOptions.type for a service worker).
type WorkerType uint8

// The worker types.
const (
	WorkerClassic WorkerType = iota
	WorkerModule
)

// ForWorker returns the request for a worker's top-level script: dest is
// DestinationWorker (new Worker), DestinationSharedWorker (new
// SharedWorker) or DestinationServiceWorker (navigator.serviceWorker.register);
// credentials is WorkerOptions.credentials, read for module workers only.
//
//   - Classic: HTML "fetch a classic worker script": mode same-origin,
//     credentials same-origin.
//   - Module: HTML "fetch a module worker script graph" → "fetch a single
//     module script" with isTopLevel: mode same-origin (whatwg/html#6544),
//     credentials the options' (same-origin by default).
//   - A service worker (Service Workers "Update", its request set-up):
//     redirect mode error; a module one's credentials are omit.
func ForWorker(dest Destination, typ WorkerType, credentials Credentials) (Request, error) {
	switch dest {
	case DestinationWorker, DestinationSharedWorker, DestinationServiceWorker:
	default:
		return Request{}, fmt.Errorf("fetchctx: %q is not a worker destination (worker, sharedworker, serviceworker)", dest)
	}
	r := Request{Destination: dest, Mode: ModeSameOrigin, Credentials: CredentialsSameOrigin}
	if typ == WorkerModule {
		if dest == DestinationServiceWorker {
			credentials = CredentialsOmit
		}
		r = moduleRequest(dest, credentials, true)
	}
	if dest == DestinationServiceWorker {
		r.Redirect = RedirectError
	}
	return r, nil
}

// FetchInit is the part of fetch()'s RequestInit that decides the request,
// spelled as script spells it: "" for a member left out.
type FetchInit struct {
	Method      string      // "" is GET
	Header      http.Header // the headers script gave
	Mode        string      // "cors" (default), "no-cors", "same-origin"
	Credentials string      // "same-origin" (default), "omit", "include"
	Redirect    string      // "follow" (default), "error", "manual"
}

// RequestError is the TypeError the Request constructor (and so fetch())
// throws for init.
type RequestError struct {
	Field, Value, Msg string
}

func (e *RequestError) Error() string {
	return fmt.Sprintf("fetchctx: fetch(): %s %q: %s", e.Field, e.Value, e.Msg)
}

// ForFetch returns the request fetch(input, init) makes, as the Request
// constructor (Fetch, "new Request(input, init)", as of fetch commit
// 586cd2a) builds it: mode cors (a string input's fallback mode) and
// credentials same-origin unless init says otherwise; mode navigate is a
// TypeError (step 17), as are a method that is not a token or is forbidden
// (CONNECT, TRACE, TRACK; step 25), and a no-cors request whose method is
// not GET, HEAD or POST (step 31). A method that matches DELETE,
// GET, HEAD, OPTIONS, POST or PUT case-insensitively is normalized to
// uppercase. The headers keep what the request's Headers guard keeps:
// forbidden request-header names are dropped ("request" guard), and under
// no-cors every header but the CORS-safelisted ones ("request-no-cors",
// steps 31-32).
func ForFetch(init FetchInit) (Request, error) {
	r := Request{Mode: ModeCORS, Credentials: CredentialsSameOrigin}
	var err error
	if init.Mode != "" {
		if r.Mode, err = ParseMode(init.Mode); err != nil || r.Mode == ModeNavigate {
			return Request{}, &RequestError{"mode", init.Mode, "not a RequestMode script may use"}
		}
	}
	if init.Credentials != "" {
		if r.Credentials, err = ParseCredentials(init.Credentials); err != nil {
			return Request{}, &RequestError{"credentials", init.Credentials, "not a RequestCredentials"}
		}
	}
	if init.Redirect != "" {
		if r.Redirect, err = ParseRedirectMode(init.Redirect); err != nil {
			return Request{}, &RequestError{"redirect", init.Redirect, "not a RequestRedirect"}
		}
	}
	if r.Method, err = normalizeMethod(init.Method); err != nil {
		return Request{}, err
	}
	if r.Mode == ModeNoCORS && r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		return Request{}, &RequestError{"method", r.Method, "not GET, HEAD or POST, with mode no-cors"}
	}
	r.Header = guardHeaders(init.Header, r.Mode == ModeNoCORS)
	return r, nil
}

// ForXHR returns the request of XMLHttpRequest's open(method) and send(),
// with the headers setRequestHeader set (XHR, send()): mode cors,
// credentials include when withCredentials, same-origin otherwise; the
// method as open() checks and normalizes it.
// Forbidden request-header names are dropped, as setRequestHeader ignores
// them.
func ForXHR(method string, header http.Header, withCredentials bool) (Request, error) {
	m, err := normalizeMethod(method)
	if err != nil {
		return Request{}, err
	}
	r := Request{Mode: ModeCORS, Credentials: CredentialsSameOrigin, Method: m, Header: guardHeaders(header, false)}
	if withCredentials {
		r.Credentials = CredentialsInclude
	}
	return r, nil
}

// ForEventSource returns the request of new EventSource(url, {withCredentials})
// (HTML, the EventSource(url, eventSourceInitDict) constructor): a potential-CORS
// request with destination "", Anonymous or Use Credentials: mode cors,
// credentials same-origin or include. (Its Accept: text/event-stream is
// CORS-safelisted, and the user agent's.)
func ForEventSource(withCredentials bool) Request {
	s := CORSAnonymous
	if withCredentials {
		s = CORSUseCredentials
	}
	return PotentialCORS(DestinationEmpty, s, false)
}

// ForBeacon returns the request of navigator.sendBeacon(url, data) whose
// data has the content type contentType ("" for none, as for an
// ArrayBuffer) (Beacon, sendBeacon() and "process the beacon"): method
// POST, credentials include,
// keepalive; mode cors when the type is not a CORS-safelisted Content-Type
// value, no-cors otherwise; the type sent as the page's Content-Type.
func ForBeacon(contentType string) Request {
	r := Request{Method: http.MethodPost, Mode: ModeNoCORS, Credentials: CredentialsInclude}
	if contentType != "" {
		if !isSafelistedContentType(contentType) {
			r.Mode = ModeCORS
		}
		r.Header = http.Header{"Content-Type": {contentType}}
	}
	return r
}

// normalizeMethod checks a script-given method (Fetch: a method is a
// token; CONNECT, TRACE and TRACK are forbidden) and normalizes it.
func normalizeMethod(m string) (string, error) {
	if m == "" {
		return http.MethodGet, nil
	}
	for i := 0; i < len(m); i++ {
		if !isTokenChar(m[i]) {
			return "", &RequestError{"method", m, "not a method (an HTTP token)"}
		}
	}
	for _, f := range []string{"CONNECT", "TRACE", "TRACK"} {
		if strings.EqualFold(m, f) {
			return "", &RequestError{"method", m, "a forbidden method"}
		}
	}
	for _, n := range []string{"DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"} {
		if strings.EqualFold(m, n) {
			return n, nil
		}
	}
	return m, nil
}

func isTokenChar(c byte) bool {
	if c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// guardHeaders returns h without the forbidden request-header names and,
// under noCORS, without the headers that are not CORS-safelisted; nil when
// nothing is left.
func guardHeaders(h http.Header, noCORS bool) http.Header {
	var out http.Header
	for name, vals := range h {
		if IsForbiddenRequestHeader(name) {
			continue
		}
		if noCORS && !isNoCORSSafelisted(name, vals) {
			continue
		}
		if out == nil {
			out = http.Header{}
		}
		out[http.CanonicalHeaderKey(name)] = append(out[http.CanonicalHeaderKey(name)], vals...)
	}
	return out
}

// isNoCORSSafelisted reports whether the header would stay in a
// "request-no-cors" Headers: a no-CORS-safelisted request-header name
// (accept, accept-language, content-language, content-type) whose value is
// CORS-safelisted (128 bytes at most; Content-Type one of the three types).
func isNoCORSSafelisted(name string, vals []string) bool {
	v := strings.Join(vals, ", ")
	if len(v) > 128 {
		return false
	}
	switch strings.ToLower(name) {
	case "accept", "accept-language", "content-language":
		return true
	case "content-type":
		return isSafelistedContentType(v)
	}
	return false
}

// isSafelistedContentType reports whether v's essence is
// application/x-www-form-urlencoded, multipart/form-data or text/plain.
func isSafelistedContentType(v string) bool {
	essence, _, _ := strings.Cut(v, ";")
	switch strings.ToLower(strings.Trim(essence, "\t\n\r ")) {
	case "application/x-www-form-urlencoded", "multipart/form-data", "text/plain":
		return true
	}
	return false
}
