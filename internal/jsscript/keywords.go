package jsscript

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

// kwTable is a hash table over kwNames keyed by kwHash; a slot holds the
// keyword or kwNone. Built once, read only.
var kwTable = func() (t [512]kw) {
	for k, name := range kwNames {
		if name == "" {
			continue
		}
		h := kwHash([]byte(name))
		for t[h] != kwNone {
			h = (h + 1) & 511
		}
		t[h] = kw(k)
	}
	return t
}()

func kwHash(b []byte) uint32 {
	n := len(b)
	return (uint32(b[0])*31 + uint32(b[n-1])*7 + uint32(b[1])*3 + uint32(n)*101) & 511
}

// kwFirst has, for each length, a bit per possible first byte ('_' to
// 'z') of the keywords of that length: most identifiers skip the hash.
var kwFirst = func() (t [12]uint32) {
	for _, name := range kwNames {
		if name != "" {
			t[len(name)] |= 1 << (name[0] - '_')
		}
	}
	return t
}()

// lookupKeyword returns the keyword b spells, or kwNone.
func lookupKeyword(b []byte) kw {
	if len(b) < 2 || len(b) > 11 || b[0] < '_' || b[0] > 'z' || kwFirst[len(b)]&(1<<(b[0]-'_')) == 0 {
		return kwNone
	}
	h := kwHash(b)
	for {
		k := kwTable[h]
		if k == kwNone {
			return kwNone
		}
		if kwNames[k] == string(b) {
			return k
		}
		h = (h + 1) & 511
	}
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
