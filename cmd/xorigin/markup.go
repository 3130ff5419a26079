package main

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"

	"github.com/xorigin/xorigin/fetchctx"
)

// markupLimit bounds how much of a document's markup is read for the URLs
// its elements load.
const markupLimit = 4 << 20

// readMarkup records, for the page of e (a document entry whose URL is u),
// the URLs its markup loads and the destination each element gives them:
// <script src> a script, <img src> an image, <link rel=stylesheet href> a
// style sheet, and so on. A HAR without _resourceType (Firefox's) says no
// more of what loaded an entry.
func (a *auditor) readMarkup(e *harEntry, u fetchctx.URL) {
	b, _ := e.body()
	if len(b) == 0 {
		return
	}
	b = b[:min(len(b), markupLimit)]
	m := a.markup[e.Pageref]
	if m == nil {
		m = map[string]fetchctx.Destination{}
		a.markup[e.Pageref] = m
	}
	base := u.String()
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		attrs := map[string]string{}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			attrs[string(k)] = string(v)
		}
		var dest fetchctx.Destination
		ref := attrs["src"]
		switch string(name) {
		case "base":
			if h := attrs["href"]; h != "" {
				if r := resolveURL(base, h); r != "" {
					base = r
				}
			}
			continue
		case "script":
			dest = fetchctx.DestinationScript
		case "img":
			dest = fetchctx.DestinationImage
		case "iframe":
			dest = fetchctx.DestinationIFrame
		case "audio":
			dest = fetchctx.DestinationAudio
		case "video":
			dest = fetchctx.DestinationVideo
		case "track":
			dest = fetchctx.DestinationTrack
		case "embed":
			dest = fetchctx.DestinationEmbed
		case "link":
			ref = attrs["href"]
			rel := " " + strings.ToLower(attrs["rel"]) + " "
			switch {
			case strings.Contains(rel, " stylesheet "):
				dest = fetchctx.DestinationStyle
			case strings.Contains(rel, " preload ") || strings.Contains(rel, " modulepreload "):
				d, err := fetchctx.ParseDestination(strings.ToLower(attrs["as"]))
				if err != nil || attrs["as"] == "" {
					if !strings.Contains(rel, " modulepreload ") {
						continue
					}
					d = fetchctx.DestinationScript
				}
				dest = d
			default:
				continue
			}
		default:
			continue
		}
		if ref == "" {
			continue
		}
		if r := resolveURL(base, strings.TrimSpace(ref)); r != "" {
			if _, seen := m[r]; !seen {
				m[r] = dest
			}
		}
	}
}
