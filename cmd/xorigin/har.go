package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// The parts of HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/)
// the audit reads, with the fields Chrome adds (_resourceType, _initiator,
// response._error). Everything else is skipped by the decoder. A body
// (content.text) is held for its own entry only: opaque response blocking
// reads it.

type harNameVersion struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type harPage struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

type harHeader struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type harEntry struct {
	Pageref string `json:"pageref"`
	Request struct {
		Method  string      `json:"method"`
		URL     string      `json:"url"`
		Headers []harHeader `json:"headers"`
		Cookies []struct {
			Name string `json:"name"`
		} `json:"cookies"`
	} `json:"request"`
	Response struct {
		Status      int         `json:"status"`
		Headers     []harHeader `json:"headers"`
		RedirectURL string      `json:"redirectURL"`
		Content     struct {
			MimeType string  `json:"mimeType"`
			Size     int64   `json:"size"` // the decoded body's length; 0 or -1 when unknown
			Text     *string `json:"text"` // nil: the HAR holds no body
			Encoding string  `json:"encoding"`
		} `json:"content"`
		Error string `json:"_error"` // Chrome: why a request failed
	} `json:"response"`
	ResourceType string `json:"_resourceType"` // Chrome
	// Initiator is Chrome's _initiator, read leniently: an object with a
	// type ("parser", "script", "other", ...) and, for the parser, the URL
	// of the document that asked.
	Initiator json.RawMessage `json:"_initiator"`
}

// initiator returns Chrome's _initiator type and URL, "" when absent or
// not shaped as Chrome writes it.
func (e *harEntry) initiator() (typ, url string) {
	var in struct {
		Type string `json:"type"`
		URL  string `json:"url"`
	}
	if len(e.Initiator) == 0 || json.Unmarshal(e.Initiator, &in) != nil {
		return "", ""
	}
	return in.Type, in.URL
}

// body returns the response body the HAR holds, and whether it is the
// whole body. It is not when the export holds none (no content.text: Chrome
// often leaves images out), or an empty or shorter text than content.size
// says the body was (Firefox cuts bodies over 1 MB): what is there is a
// prefix at most.
func (e *harEntry) body() (b []byte, whole bool) {
	c := &e.Response.Content
	if c.Text == nil {
		return nil, false
	}
	if strings.EqualFold(c.Encoding, "base64") {
		var err error
		if b, err = base64.StdEncoding.DecodeString(*c.Text); err != nil {
			return nil, false
		}
	} else {
		b = []byte(*c.Text)
	}
	return b, c.Size <= 0 || int64(len(b)) >= c.Size
}

// header returns HAR headers as an http.Header: names canonicalized (HTTP/2
// exports spell them in lowercase), repeated headers kept in order.
func header(hs []harHeader) http.Header {
	h := make(http.Header, len(hs))
	for _, kv := range hs {
		h.Add(kv.Name, kv.Value)
	}
	return h
}

// harMeta is what a HAR says about itself.
type harMeta struct {
	Creator harNameVersion
	Browser harNameVersion
	Pages   []harPage
}

// harError is a HAR that cannot be read, with the byte offset where it
// went wrong.
type harError struct {
	Offset int64
	Entry  int // the entry's index, -1 outside entries
	Err    error
}

func (e *harError) Error() string {
	if e.Entry >= 0 {
		return fmt.Sprintf("byte %d: entry %d: %v", e.Offset, e.Entry, e.Err)
	}
	return fmt.Sprintf("byte %d: %v", e.Offset, e.Err)
}

func (e *harError) Unwrap() error { return e.Err }

// countingReader counts the bytes read, to place an unexpected end of file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// harStream reads a HAR one entry at a time, with encoding/json's token
// API: memory holds one entry (the largest one seen, as the decoder reuses
// its buffer), never the file.
type harStream struct {
	dec   *json.Decoder
	cr    *countingReader
	ra    io.ReaderAt // the file again, to place a syntax error; may be nil
	skip  int64       // bytes of a byte order mark skipped before the decoder
	entry int         // index of the entry being read, -1 outside entries
}

// readHAR reads the HAR in r: meta is called once pages are known (or
// when the entries start, if pages come later), entry for each entry in
// order with its index and byte offset. An error from either stops reading
// and is returned as is; a HAR that does not parse gives a *harError, whose
// offset is exact when ra (the same bytes as r, from offset 0) is not nil.
func readHAR(r io.Reader, ra io.ReaderAt, meta func(*harMeta), entry func(i int, offset int64, e *harEntry) error) error {
	cr := &countingReader{r: r}
	br := bufio.NewReader(cr)
	s := &harStream{cr: cr, ra: ra, entry: -1}
	// Some tools write a UTF-8 byte order mark; encoding/json refuses it.
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
		s.skip = 3
	}
	s.dec = json.NewDecoder(br)

	if err := s.expectDelim('{', "a HAR file is a JSON object"); err != nil {
		return err
	}
	sawLog := false
	for s.dec.More() {
		key, err := s.key()
		if err != nil {
			return err
		}
		if key != "log" {
			if err := s.skipValue(); err != nil {
				return err
			}
			continue
		}
		sawLog = true
		if err := s.readLog(meta, entry); err != nil {
			return err
		}
	}
	end := s.offset()
	if err := s.expectDelim('}', ""); err != nil {
		return err
	}
	if !sawLog {
		return s.errorAt(end, "not a HAR file: no \"log\" object")
	}
	end = s.offset()
	if _, err := s.dec.Token(); err != io.EOF {
		return s.errorAt(end, "data after the HAR's top-level object")
	}
	return nil
}

func (s *harStream) readLog(meta func(*harMeta), entry func(int, int64, *harEntry) error) error {
	if err := s.expectDelim('{', `"log" must be an object`); err != nil {
		return err
	}
	var m harMeta
	metaSent := false
	sendMeta := func() {
		if !metaSent {
			metaSent = true
			meta(&m)
		}
	}
	for s.dec.More() {
		key, err := s.key()
		if err != nil {
			return err
		}
		switch key {
		case "creator":
			err = s.decode(&m.Creator)
		case "browser":
			err = s.decode(&m.Browser)
		case "pages":
			err = s.decode(&m.Pages)
		case "entries":
			sendMeta()
			err = s.readEntries(entry)
		default:
			err = s.skipValue()
		}
		if err != nil {
			return err
		}
	}
	sendMeta()
	return s.expectDelim('}', "")
}

func (s *harStream) readEntries(entry func(int, int64, *harEntry) error) error {
	if err := s.expectDelim('[', `"entries" must be an array`); err != nil {
		return err
	}
	for i := 0; s.dec.More(); i++ {
		s.entry = i
		off := s.offset()
		var e harEntry
		if err := s.decode(&e); err != nil {
			return err
		}
		if err := entry(i, off, &e); err != nil {
			return err
		}
	}
	s.entry = -1
	return s.expectDelim(']', "")
}

// offset is the decoder's position in the file.
func (s *harStream) offset() int64 { return s.dec.InputOffset() + s.skip }

// wrap places a decoder error in the file: at the byte that is wrong, as a
// zero-based offset. start is where the call that failed began reading.
func (s *harStream) wrap(start int64, err error) error {
	off := s.offset()
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		off = s.cr.n
		err = errors.New("unexpected end of file")
	case errors.As(err, &syn):
		// The decoder counts a syntax error's offset over the bytes its
		// values took, not over the file: scan the value again from where
		// the call began, with a fresh decoder, to find the byte.
		if at, ok := rescan(s.ra, start); ok {
			off = at
		} else {
			off = start
		}
	case errors.As(err, &typ):
		// A type error's offset counts from the value's start (after the
		// separator), and falls just past the value of the wrong type.
		if at, ok := valueStart(s.ra, start); ok && typ.Offset > 0 {
			off = at + typ.Offset
		} else {
			off = start
		}
	}
	// Never past the bytes read: a type error at the very end of a
	// truncated file would otherwise point one byte beyond it.
	off = min(off, s.cr.n)
	return &harError{Offset: off, Entry: s.entry, Err: err}
}

// skipSeparator returns the reader positioned after the whitespace, at
// most one ',' or ':', and whitespace again, that may precede a value at
// from, and that position.
func skipSeparator(ra io.ReaderAt, from int64) (*bufio.Reader, int64, bool) {
	if ra == nil {
		return nil, 0, false
	}
	br := bufio.NewReader(io.NewSectionReader(ra, from, 1<<62))
	pos, sep := from, false
	for {
		c, err := br.ReadByte()
		if err != nil {
			return nil, 0, false
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case (c == ',' || c == ':') && !sep:
			sep = true
		default:
			br.UnreadByte()
			return br, pos, true
		}
		pos++
	}
}

func valueStart(ra io.ReaderAt, from int64) (int64, bool) {
	_, pos, ok := skipSeparator(ra, from)
	return pos, ok
}

// rescan finds the first byte at or after from that is not valid JSON.
func rescan(ra io.ReaderAt, from int64) (int64, bool) {
	br, pos, ok := skipSeparator(ra, from)
	if !ok {
		return 0, false
	}
	// A fresh decoder counts from the value's first byte.
	var v json.RawMessage
	var syn *json.SyntaxError
	if err := json.NewDecoder(br).Decode(&v); errors.As(err, &syn) && syn.Offset > 0 {
		return pos + syn.Offset - 1, true
	}
	return 0, false
}

func (s *harStream) decode(v any) error {
	start := s.offset()
	if err := s.dec.Decode(v); err != nil {
		return s.wrap(start, err)
	}
	return nil
}

func (s *harStream) token() (json.Token, error) {
	start := s.offset()
	t, err := s.dec.Token()
	if err != nil {
		return nil, s.wrap(start, err)
	}
	return t, nil
}

func (s *harStream) key() (string, error) {
	start := s.offset()
	t, err := s.token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", s.errorAt(start, "expected an object key, got %s", describeToken(t))
	}
	return k, nil
}

func (s *harStream) expectDelim(d json.Delim, msg string) error {
	start := s.offset()
	t, err := s.token()
	if err != nil {
		return err
	}
	if t != d {
		if msg == "" {
			msg = fmt.Sprintf("expected %q", d.String())
		}
		return s.errorAt(start, "%s, got %s", msg, describeToken(t))
	}
	return nil
}

// errorAt reports an error at the token that begins after from (past
// whitespace and a separator), exactly when the file can be read again.
func (s *harStream) errorAt(from int64, format string, a ...any) error {
	off, ok := valueStart(s.ra, from)
	if !ok {
		off = from
	}
	return &harError{Offset: off, Entry: s.entry, Err: fmt.Errorf(format, a...)}
}

func describeToken(t json.Token) string {
	switch v := t.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", v.String())
	case string:
		return fmt.Sprintf("string %q", v)
	case nil:
		return "null"
	}
	return fmt.Sprintf("%v", t)
}

// skipValue skips one value token by token, so that an unknown field holds
// no more memory than one string of it.
func (s *harStream) skipValue() error {
	depth := 0
	for {
		t, err := s.token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}
