package jsscript

import "hash/maphash"

// maxDecls bounds the declarations tracked for redeclaration errors. Past
// it, the rest of the script goes unchecked for them (accepted as far as
// redeclarations go): a fail-open bound on memory.
const maxDecls = 512

// maxChain bounds the same-bucket entries one lookup walks; a longer chain
// (only a crafted or enormous scope makes one) ends the check as if no
// conflict were found.
const maxChain = 32

// Declaration kinds.
const (
	dDead     uint8 = iota // a lexical declaration of a closed scope
	dVar                   // var, or a function declared at a function's top level
	dLex                   // let, const, class, or a generator or async function in a block
	dFuncLex               // a plain function declared in a block: sloppy code may repeat it
	dParam                 // a simple formal parameter
	dCatch                 // a simple catch parameter
	dParamPat              // a name bound in a parameter's pattern
)

type decl struct {
	off  int32
	n    uint16
	kind uint8
	prev int16 // 1 + the previous entry in the same bucket, or 0
}

var declSeed = maphash.MakeSeed()

// The declaration table is a stack of entries: a scope's entries (its own
// declarations, and the var declarations of closed scopes within it) are
// the suffix from the scope's open index, kept in its frame's n. Closing a
// block drops its lexical declarations; closing a function drops all.
// Each bucket of declBuckets holds 1 + the newest entry hashing there.

func (p *parser) declHash(name []byte) uint32 {
	return uint32(maphash.Bytes(declSeed, name)) % maxDecls
}

// openScope records the scope frame f opening at stack index n; special
// calls it.
func (p *parser) openScope(f *frame, n int) {
	f.n = int32(p.nDecl)
	f.pos = int32(p.scope)
	p.scope = n
}

// closeScope closes the scope of frame f, whose enclosing scope's index is
// outer. Function scopes drop every entry; blocks drop their lexical
// entries, keeping var ones for the enclosing scopes' checks.
func (p *parser) closeScope(f *frame, outer int, function bool) {
	open := int(f.n)
	if !function {
		// Mark the block's lexical entries dead; then truncate the
		// trailing dead ones.
		for i := open; i < p.nDecl; i++ {
			if p.decls[i].kind != dVar {
				p.decls[i].kind = dDead
			}
		}
		for open = p.nDecl; open > int(f.n) && p.decls[open-1].kind == dDead; open-- {
		}
	}
	for i := p.nDecl - 1; i >= open; i-- {
		d := &p.decls[i]
		p.declBuckets[p.declHash(p.src[d.off:d.off+int32(d.n)])] = d.prev
	}
	p.nDecl = min(p.nDecl, open)
	p.scope = outer
}

// declare records the declaration of src[start:end] with kind k,
// reporting false for a redeclaration early error.
func (p *parser) declare(start, end int, k uint8) bool {
	if p.declOverflow {
		return true
	}
	name := p.src[start:end]
	h := p.declHash(name)
	// The lower bound of the entries that can conflict: a lexical
	// declaration clashes with anything in its own scope (vars hoisted
	// from closed blocks included); a var clashes with the lexical
	// declarations of every open scope up to its function's.
	bound := int(p.stack[p.scope].n)
	if k == dVar {
		bound = int(p.stack[p.floor].n)
	}
	steps := 0
	for i := int(p.declBuckets[h]) - 1; i >= bound && steps < maxChain; steps++ {
		d := &p.decls[i]
		if d.kind != dDead && string(p.src[d.off:d.off+int32(d.n)]) == string(name) {
			switch {
			case k == dVar:
				if d.kind == dLex || d.kind == dFuncLex {
					return false
				}
			case k == dParam && d.kind == dParamPat, k == dParamPat && (d.kind == dParam || d.kind == dParamPat):
				// Duplicates in a non-simple parameter list.
				return false
			case k == dParam || k == dCatch:
			case k == dFuncLex && d.kind == dFuncLex && !p.strict():
				// Annex B.3.2.4: sloppy blocks may repeat plain functions.
			default:
				return false
			}
		}
		i = int(d.prev) - 1
	}
	if p.nDecl == maxDecls || end-start > 0xFFFF {
		p.declOverflow = true
		return true
	}
	p.decls[p.nDecl] = decl{off: int32(start), n: uint16(end - start), kind: k, prev: p.declBuckets[h]}
	p.nDecl++
	p.declBuckets[h] = int16(p.nDecl)
	return true
}

// inFunctionScope reports whether the innermost scope is a function's (or
// the script's) top level, where function declarations are var-scoped.
func (p *parser) inFunctionScope() bool {
	return p.scope == p.floor && p.stack[p.floor].kind != kClassBody
}

// declareParams declares the parameters of a simple arrow parameter list
// src[start:end] (an identifier, or a parenthesized list) in the arrow's
// body scope, which was just opened.
func (p *parser) declareParams(start, end int) bool {
	if start < 0 || start > end || end > len(p.src) {
		return true // not reached; never index out of the body
	}
	l := lexer{src: p.src[:end], pos: start}
	for {
		l.next(false)
		switch l.tok {
		case tIdent:
			if !p.declare(l.start, l.end, dParam) {
				return false
			}
		case tLParen, tComma, tRParen:
		default:
			return true
		}
	}
}
