package mimesniff

import "strings"

// The MIME type groups of MIME Sniffing §4.6. Each compares the lowercase
// essence, type or subtype; none allocates. The zero MIMEType is in no group.
//
// See https://mimesniff.spec.whatwg.org/#mime-type-groups.

// IsImage reports whether m is an image MIME type: its type is "image".
func (m MIMEType) IsImage() bool { return m.Type() == "image" }

// IsAudioOrVideo reports whether m is an audio or video MIME type: its type
// is "audio" or "video", or its essence is "application/ogg".
func (m MIMEType) IsAudioOrVideo() bool {
	t := m.Type()
	return t == "audio" || t == "video" || m.Essence() == "application/ogg"
}

// IsFont reports whether m is a font MIME type: its type is "font", or its
// essence is one of the legacy application/ font types of RFC 8081's
// registry.
func (m MIMEType) IsFont() bool {
	if m.Type() == "font" {
		return true
	}
	switch m.Essence() {
	case "application/font-cff",
		"application/font-otf",
		"application/font-sfnt",
		"application/font-ttf",
		"application/font-woff",
		"application/vnd.ms-fontobject",
		"application/vnd.ms-opentype":
		return true
	}
	return false
}

// IsZIPBased reports whether m is a ZIP-based MIME type: its subtype ends in
// "+zip", or its essence is "application/zip".
func (m MIMEType) IsZIPBased() bool {
	return strings.HasSuffix(m.Subtype(), "+zip") || m.Essence() == "application/zip"
}

// IsArchive reports whether m is an archive MIME type: its essence is
// "application/x-rar-compressed", "application/zip" or "application/x-gzip".
func (m MIMEType) IsArchive() bool {
	switch m.Essence() {
	case "application/x-rar-compressed", "application/zip", "application/x-gzip":
		return true
	}
	return false
}

// IsXML reports whether m is an XML MIME type: its subtype ends in "+xml",
// or its essence is "text/xml" or "application/xml" (RFC 7303).
func (m MIMEType) IsXML() bool {
	if strings.HasSuffix(m.Subtype(), "+xml") {
		return true
	}
	e := m.Essence()
	return e == "text/xml" || e == "application/xml"
}

// IsHTML reports whether m is an HTML MIME type: its essence is "text/html".
func (m MIMEType) IsHTML() bool { return m.Essence() == "text/html" }

// IsScriptable reports whether m is a scriptable MIME type: an XML or HTML
// MIME type, or essence "application/pdf".
func (m MIMEType) IsScriptable() bool {
	return m.IsXML() || m.IsHTML() || m.Essence() == "application/pdf"
}

// IsJavaScript reports whether m is a JavaScript MIME type: its essence is
// one of the sixteen that IsJavaScriptEssence lists.
func (m MIMEType) IsJavaScript() bool { return isJavaScriptEssence(m.Essence()) }

// IsJSON reports whether m is a JSON MIME type: its subtype ends in "+json",
// or its essence is "application/json" or "text/json".
func (m MIMEType) IsJSON() bool {
	if strings.HasSuffix(m.Subtype(), "+json") {
		return true
	}
	e := m.Essence()
	return e == "application/json" || e == "text/json"
}

// IsJavaScriptEssence reports whether s is a JavaScript MIME type essence
// match: an ASCII case-insensitive match for one of application/ecmascript,
// application/javascript, application/x-ecmascript,
// application/x-javascript, text/ecmascript, text/javascript,
// text/javascript1.0 to text/javascript1.5, text/jscript, text/livescript,
// text/x-ecmascript and text/x-javascript. HTML uses it on a script
// element's type attribute, which is not parsed as a MIME type: parameters
// or white space make it false.
//
// See https://mimesniff.spec.whatwg.org/#javascript-mime-type-essence-match.
func IsJavaScriptEssence(s string) bool {
	const longest = len("application/x-ecmascript")
	if len(s) > longest || len(s) < len("text/jscript") {
		return false
	}
	if !hasUpperASCII(s) {
		return isJavaScriptEssence(s)
	}
	var buf [longest]byte
	for i := 0; i < len(s); i++ {
		buf[i] = toLowerASCII(s[i])
	}
	return isJavaScriptEssence(string(buf[:len(s)]))
}

// isJavaScriptEssence reports whether the lowercase essence e is on the
// JavaScript MIME type list.
func isJavaScriptEssence(e string) bool {
	switch e {
	case "application/ecmascript",
		"application/javascript",
		"application/x-ecmascript",
		"application/x-javascript",
		"text/ecmascript",
		"text/javascript",
		"text/javascript1.0",
		"text/javascript1.1",
		"text/javascript1.2",
		"text/javascript1.3",
		"text/javascript1.4",
		"text/javascript1.5",
		"text/jscript",
		"text/livescript",
		"text/x-ecmascript",
		"text/x-javascript":
		return true
	}
	return false
}
