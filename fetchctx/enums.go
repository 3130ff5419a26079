package fetchctx

import "fmt"

// Mode is a request's mode (Fetch). The zero Mode is NoCORS, the default of
// the elements that load subresources.
type Mode uint8

// The request modes.
const (
	ModeNoCORS Mode = iota
	ModeCORS
	ModeSameOrigin
	ModeNavigate
)

var modeNames = [...]string{"no-cors", "cors", "same-origin", "navigate"}

// String returns the mode's token, as Fetch spells it.
func (m Mode) String() string { return enumString(modeNames[:], int(m), "Mode") }

// ParseMode parses a mode token.
func ParseMode(s string) (Mode, error) {
	i, err := parseEnum(modeNames[:], s, "mode")
	return Mode(i), err
}

// Credentials is a request's credentials mode (Fetch). The zero value is
// CredentialsSameOrigin, the default.
type Credentials uint8

// The credentials modes.
const (
	CredentialsSameOrigin Credentials = iota
	CredentialsOmit
	CredentialsInclude
)

var credentialsNames = [...]string{"same-origin", "omit", "include"}

// String returns the credentials mode's token.
func (c Credentials) String() string {
	return enumString(credentialsNames[:], int(c), "Credentials")
}

// ParseCredentials parses a credentials mode token.
func ParseCredentials(s string) (Credentials, error) {
	i, err := parseEnum(credentialsNames[:], s, "credentials mode")
	return Credentials(i), err
}

// Destination is a request's destination (Fetch). The zero value is
// DestinationEmpty, the destination "" of fetch() and XMLHttpRequest.
type Destination uint8

// The destinations.
const (
	DestinationEmpty Destination = iota
	DestinationAudio
	DestinationAudioWorklet
	DestinationDocument
	DestinationEmbed
	DestinationFont
	DestinationFrame
	DestinationIFrame
	DestinationImage
	DestinationJSON
	DestinationManifest
	DestinationObject
	DestinationPaintWorklet
	DestinationReport
	DestinationScript
	DestinationServiceWorker
	DestinationSharedWorker
	DestinationStyle
	DestinationText // Fetch, "destination type": "text" is a value too
	DestinationTrack
	DestinationVideo
	DestinationWebIdentity
	DestinationWorker
	DestinationXSLT
	numDestinations
)

var destinationNames = [numDestinations]string{
	"", "audio", "audioworklet", "document", "embed", "font", "frame", "iframe",
	"image", "json", "manifest", "object", "paintworklet", "report", "script",
	"serviceworker", "sharedworker", "style", "text", "track", "video", "webidentity",
	"worker", "xslt",
}

// String returns the destination's token ("" for DestinationEmpty).
func (d Destination) String() string {
	return enumString(destinationNames[:], int(d), "Destination")
}

// ParseDestination parses a destination token; "" is DestinationEmpty.
func ParseDestination(s string) (Destination, error) {
	i, err := parseEnum(destinationNames[:], s, "destination")
	return Destination(i), err
}

// IsNavigation reports whether d is a navigation destination (Fetch:
// "document", "embed", "frame", "iframe" or "object").
func (d Destination) IsNavigation() bool {
	switch d {
	case DestinationDocument, DestinationEmbed, DestinationFrame, DestinationIFrame, DestinationObject:
		return true
	}
	return false
}

// Tainting is a response tainting (Fetch): how much of a response its
// initiator may see. The zero value is TaintingBasic.
type Tainting uint8

// The response taintings.
const (
	TaintingBasic Tainting = iota
	TaintingCORS
	TaintingOpaque
)

var taintingNames = [...]string{"basic", "cors", "opaque"}

// String returns the tainting's token.
func (t Tainting) String() string { return enumString(taintingNames[:], int(t), "Tainting") }

// EnumError reports a token that is not one of an enumeration's values.
type EnumError struct {
	Kind  string // "mode", "destination", ...
	Value string
}

func (e *EnumError) Error() string {
	return fmt.Sprintf("fetchctx: unknown %s %q", e.Kind, e.Value)
}

func enumString(names []string, i int, typ string) string {
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", typ, i)
}

func parseEnum(names []string, s, kind string) (int, error) {
	for i, n := range names {
		if n == s {
			return i, nil
		}
	}
	return 0, &EnumError{kind, s}
}

// MediaState is a request's no-cors media request state (Fetch, opaque
// response blocking): whether a media element's no-cors request is its
// initial range request or a later one for a URL that already sniffed as
// audio or video. The zero value is MediaNA, for every other request.
type MediaState uint8

// The no-cors media request states.
const (
	MediaNA MediaState = iota
	MediaInitial
	MediaSubsequent
)

var mediaNames = [...]string{"N/A", "initial", "subsequent"}

// String returns "N/A", "initial" or "subsequent".
func (m MediaState) String() string { return enumString(mediaNames[:], int(m), "MediaState") }

// RedirectMode is a request's redirect mode (Fetch). The zero value is
// RedirectFollow, the default of every request but a navigation's.
type RedirectMode uint8

// The redirect modes.
const (
	// RedirectFollow: a redirect is followed (HTTP-redirect fetch).
	RedirectFollow RedirectMode = iota
	// RedirectError: a redirect is a network error (fetch()'s redirect:
	// "error").
	RedirectError
	// RedirectManual: a redirect ends the fetch; script gets an
	// opaque-redirect response, a navigation the redirect itself.
	RedirectManual
)

var redirectNames = [...]string{"follow", "error", "manual"}

// String returns "follow", "error" or "manual".
func (r RedirectMode) String() string { return enumString(redirectNames[:], int(r), "RedirectMode") }

// ParseRedirectMode parses a redirect mode token.
func ParseRedirectMode(s string) (RedirectMode, error) {
	i, err := parseEnum(redirectNames[:], s, "redirect mode")
	return RedirectMode(i), err
}
