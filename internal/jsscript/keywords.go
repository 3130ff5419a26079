package jsscript

import "encoding/binary"

// kw names the keywords and contextual words the grammar singles out.
type kw uint8

const (
	kwNone kw = iota

	// ReservedWord (ECMAScript 2024 12.7.2), minus await and yield.
	kwBreak
	kwCase
	kwCatch
	kwClass
	kwConst
	kwContinue
	kwDebugger
	kwDefault
	kwDelete
	kwDo
	kwElse
	kwEnum
	kwExport
	kwExtends
	kwFalse
	kwFinally
	kwFor
	kwFunction
	kwIf
	kwImport
	kwIn
	kwInstanceof
	kwNew
	kwNull
	kwReturn
	kwSuper
	kwSwitch
	kwThis
	kwThrow
	kwTrue
	kwTry
	kwTypeof
	kwVar
	kwVoid
	kwWhile
	kwWith

	// Reserved in some contexts only.
	kwAwait
	kwYield
	kwLet
	kwStatic
	kwImplements
	kwInterface
	kwPackage
	kwPrivate
	kwProtected
	kwPublic

	// Contextual words with no reservation.
	kwAsync
	kwOf
	kwGet
	kwSet
	kwTarget
	kwMeta
	kwEval
	kwArguments
	kwConstructor
	kwPrototype
	kwProto
)

func (k kw) reserved() bool { return k >= kwBreak && k <= kwWith }

// strictReserved reports whether k may not name a binding or reference in
// strict mode code (yield and the future reserved words; let and static).
func (k kw) strictReserved() bool { return k >= kwYield && k <= kwPublic }

var kwNames = [...]string{
	kwBreak: "break", kwCase: "case", kwCatch: "catch", kwClass: "class", kwConst: "const",
	kwContinue: "continue", kwDebugger: "debugger", kwDefault: "default", kwDelete: "delete",
	kwDo: "do", kwElse: "else", kwEnum: "enum", kwExport: "export", kwExtends: "extends",
	kwFalse: "false", kwFinally: "finally", kwFor: "for", kwFunction: "function", kwIf: "if",
	kwImport: "import", kwIn: "in", kwInstanceof: "instanceof", kwNew: "new", kwNull: "null",
	kwReturn: "return", kwSuper: "super", kwSwitch: "switch", kwThis: "this", kwThrow: "throw",
	kwTrue: "true", kwTry: "try", kwTypeof: "typeof", kwVar: "var", kwVoid: "void",
	kwWhile: "while", kwWith: "with", kwAwait: "await", kwYield: "yield", kwLet: "let",
	kwStatic: "static", kwImplements: "implements", kwInterface: "interface", kwPackage: "package",
	kwPrivate: "private", kwProtected: "protected", kwPublic: "public", kwAsync: "async",
	kwOf: "of", kwGet: "get", kwSet: "set", kwTarget: "target", kwMeta: "meta", kwEval: "eval",
	kwArguments: "arguments", kwConstructor: "constructor", kwPrototype: "prototype",
	kwProto: "__proto__",
}

// Keyword lookup packs a name's bytes into two words, w1 and w2 (the
// first eight and, for longer names, the last eight; names hold no NUL
// byte), and hashes them into kwSlots with kwHashMul, a multiplier found
// by search under which no two keywords share a slot (TestKeywordTable).
// One slot is compared: no probing, no string compare.
const kwHashMul = 0x2b2253c1056265d7

type kwSlot struct {
	w1, w2 uint64
	n      uint8 // the keyword's length, 0 in an empty slot
	k      kw
}

var kwSlots = func() (t [256]kwSlot) {
	for k, name := range kwNames {
		if name == "" {
			continue
		}
		w1, w2 := kwWords([]byte(name), 0, len(name))
		t[kwSlotOf(w1, w2)] = kwSlot{w1: w1, w2: w2, n: uint8(len(name)), k: kw(k)}
	}
	return t
}()

func kwSlotOf(w1, w2 uint64) uint64 { return (w1 ^ w2) * kwHashMul >> 56 }

// kwWords packs src[i:j], 1 to 16 bytes, little-endian: w1 the first
// eight (the name itself when it is no longer, zero-padded), w2 the last
// eight when it is longer, else 0. It reads one or two words of src, not
// one byte at a time, reaching back before i when j-i < 8.
func kwWords(src []byte, i, j int) (w1, w2 uint64) {
	n := j - i
	if n > 8 {
		return binary.LittleEndian.Uint64(src[i : i+8]), binary.LittleEndian.Uint64(src[j-8 : j])
	}
	if j >= 8 {
		return binary.LittleEndian.Uint64(src[j-8:j]) >> (64 - 8*uint(n)), 0
	}
	for k := j - 1; k >= i; k-- {
		w1 = w1<<8 | uint64(src[k])
	}
	return w1, 0
}

// lookupKeyword returns the keyword b spells, or kwNone.
func lookupKeyword(b []byte) kw { return lookupKeywordAt(b, 0, len(b)) }

// lookupKeywordAt returns the keyword src[i:j] spells, or kwNone.
func lookupKeywordAt(src []byte, i, j int) kw {
	n := j - i
	if n < 2 || n > 11 {
		return kwNone
	}
	w1, w2 := kwWords(src, i, j)
	s := &kwSlots[kwSlotOf(w1, w2)]
	if s.w1 == w1 && s.w2 == w2 && int(s.n) == n {
		return s.k
	}
	return kwNone
}

// keyword returns the keyword src[i:j] spells once escapes are decoded.
func (l *lexer) keyword(i, j int) kw {
	if l.flags&fEscaped == 0 {
		return lookupKeyword(l.src[i:j])
	}
	var buf [12]byte
	n := 0
	src := l.src
	for i < j {
		c := src[i]
		if c == '\\' {
			r, k := unicodeEscape(src, i)
			if r >= 0x80 || n == len(buf) {
				return kwNone
			}
			buf[n] = byte(r)
			n++
			i = k
			continue
		}
		if c >= 0x80 || n == len(buf) {
			return kwNone
		}
		buf[n] = c
		n++
		i++
	}
	return lookupKeyword(buf[:n])
}
