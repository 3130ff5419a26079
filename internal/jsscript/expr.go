package jsscript

// Element-list flags (frame.a) of kParen, kArray, kObject and kArgs.
const (
	cAssign    = 1 << iota // every element so far is valid in an assignment pattern
	cBind                  // every element so far is valid in a binding pattern
	cSimple                // every element so far is a plain identifier (arrow params)
	cNeedPat               // some element needs the list to become a pattern
	cRest                  // the current element follows ...
	cAfterRest             // a rest element ended: only the closing bracket may follow
	cMustArrow             // only arrow parameters allow what was seen
	cAsync                 // kArgs: async(...), maybe arrow parameters
	cNewArgs               // kArgs: the arguments of a new
	cImport                // kArgs: import(...)
	cOpt                   // kArgs, kIndex: inside an optional chain
	cTagged                // kTemplate: tagged
	// kObject only.
	objProto // a __proto__: value property was seen
	objValue // parsing a property value
	objInit  // parsing a CoverInitializedName initializer
	objSpread
	// kArray, kObject in a declaration's or parameter's binding pattern:
	// the names bound in it are declared as they are read, as the
	// declaration kind in cDeclKind says.
	cDeclPat
	cDeclLex   // let or const
	cDeclParam // a formal parameter
)

// Function body flags (kFuncBody frame.a) for retroactive strictness.
const (
	pfOctalDirective = 1 << iota
	pfBadStrict      // the name or a parameter is invalid in strict code
	pfNonSimple      // the parameter list is not simple
	pfDup            // duplicate parameter names
	pfUnique         // duplicates are errors regardless (arrows, methods)
	pfGetter
	pfSetter
	pfRest // kParams: the current parameter is a rest parameter
	pfAfterRest
	pfDefault // kParams: parsing a default value
	pfCtorDerived
)

// Right-associative continuations (kRightAssoc frame.a).
const (
	raAssign = iota
	raCond
	raArrow
	raYield
)

// identRef classifies the current identifier token as an
// IdentifierReference and reports whether it may be one here.
func (p *parser) identRef() (uint32, bool) {
	k := p.kw
	if k.reserved() {
		return 0, false
	}
	strict := p.strict()
	info := uint32(oIdent | oTarget | oBindName)
	switch k {
	case kwYield:
		if strict || p.fn&fnGen != 0 {
			return 0, false
		}
	case kwAwait:
		if p.fn&(fnAsync|fnStatic) != 0 {
			return 0, false
		}
		p.lastAwaitID = p.start
	case kwLet:
		if strict {
			return 0, false
		}
		info |= oLet
	case kwEval:
		info |= oEvalArgs
		if strict {
			info &^= oTarget | oBindName
		}
	case kwArguments:
		if p.fn&fnNoArgs != 0 {
			return 0, false
		}
		info |= oEvalArgs
		if strict {
			info &^= oTarget | oBindName
		}
	case kwAsync:
		if p.flags&fEscaped == 0 {
			info |= oAsync
		}
	default:
		if strict && k.strictReserved() {
			return 0, false
		}
	}
	return info, true
}

// identArrow continues after an identifier operand (p.o) whose token has
// already been consumed: x => body, or the postfix and binary operators.
// identArrow and the operand functions call after directly rather than
// return sAfter (a dispatch saved per operand); after never calls back
// into them, so the Go call depth stays bounded.
func (p *parser) identArrow() uint8 {
	if p.tok == tArrow && !p.nl && p.arrowAllowed() {
		if p.o&oBindName == 0 {
			return sFail
		}
		return p.arrowBody(false, 0, p.idStart, p.idEnd)
	}
	return p.after()
}

// arrowAllowed reports whether an arrow function may start at the current
// operand: it is an AssignmentExpression, so nothing may be pending.
func (p *parser) arrowAllowed() bool {
	return p.e&^(eNoIn) == 0 && p.top().kind != kNew
}

// arrowBody starts an arrow function's body; the current token is =>.
func (p *parser) arrowBody(async bool, pf uint32, pStart, pEnd int) uint8 {
	fn := p.fn &^ (fnAsync | fnGen | fnParams)
	if async {
		fn |= fnAsync
	}
	p.nextRegExp()
	if p.tok == tLBrace {
		if !p.push(frame{kind: kFuncBody, ret: sAfterArrowBlock, fn: p.fn, e: p.e, a: pf | pfUnique, pos: int32(p.lastAY)}) {
			return sFail
		}
		p.fn = fn | fnReturn
		if pf&pfNonSimple == 0 && !p.declareParams(pStart, pEnd) {
			return sFail
		}
		p.nextRegExp()
		return sDirective
	}
	g := p.open(kRightAssoc, p.e|eNotElem, raArrow)
	if g == nil {
		return sFail
	}
	g.fn = p.fn
	p.fn = fn &^ fnReturn
	p.e &= eNoIn
	return sOperand
}

// afterAsync continues after the identifier async, the current token
// being the one after it.
func (p *parser) afterAsync() uint8 {
	if p.nl {
		p.o = oIdent | oTarget | oBindName | oAsync
		return p.identArrow()
	}
	if p.isKw(kwFunction) {
		p.nextDiv()
		gen := false
		if p.tok == tStar {
			gen = true
			p.nextDiv()
		}
		return p.functionExpr(true, gen)
	}
	if p.tok == tIdent && p.kwd() != kwIn && p.kwd() != kwInstanceof && p.arrowAllowed() {
		// async x => body
		save := p.fn
		p.fn |= fnAsync
		info, ok := p.identRef()
		p.fn = save
		if !ok || info&oBindName == 0 || p.kw == kwAwait {
			return sFail
		}
		start, end := p.start, p.end
		p.nextDiv()
		if p.tok != tArrow || p.nl {
			return sFail
		}
		return p.arrowBody(true, 0, start, end)
	}
	p.o = oIdent | oTarget | oBindName | oAsync
	return p.identArrow()
}

// operand parses the start of an operand: prefix operators, primary
// expressions, and the openings of nested ones.
func (p *parser) operand() uint8 {
	// Most steps end expecting another operand (after an operator, an
	// opening bracket or a comma): loop here rather than through run's
	// dispatch.
	for {
		switch p.tok {
		case tIdent:
			var st uint8
			if p.kw == kwNone && p.flags&fEscaped == 0 && p.top().a&cDeclPat == 0 {
				// identOperand's most common case, here: a name
				// that spells no keyword, outside binding patterns.
				p.o = oIdent | oTarget | oBindName
				p.idStart, p.idEnd, p.idKw = p.start, p.end, kwNone
				p.nextDiv()
				if p.tok == tArrow {
					st = p.identArrow()
				} else {
					st = p.after()
				}
			} else {
				st = p.identOperand()
			}
			if st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tNum, tString:
			if p.flags&fLegacyOctal != 0 && p.strict() && p.fn&fnOctalQuirk == 0 {
				return sFail
			}
			p.o = 0
			p.nextDiv()
			if st := p.after(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tTemplate:
			if p.flags&fBadEscape != 0 {
				return sFail
			}
			p.o = 0
			p.nextDiv()
			if st := p.after(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tTemplateHead:
			if p.flags&fBadEscape != 0 || p.open(kTemplate, p.e, 0) == nil {
				return sFail
			}
			p.nextRegExp()
			p.e = 0
			if p.tok == tErr {
				return sOperand
			}
			continue
		case tRegExp:
			p.o = 0
			p.nextDiv()
			if st := p.after(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tLParen:
			g := p.open(kParen, p.e, cAssign|cBind|cSimple)
			if g == nil {
				return sFail
			}
			g.n = int32(p.start)
			p.nextRegExp()
			if !elemOpener[p.tok] {
				// elemStart's common case: the element starts
				// with an operand.
				p.e = 0
				continue
			}
			if st := p.elemStart(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tLBrack:
			if p.open(kArray, p.e, cAssign|cBind|p.patternContext()) == nil {
				return sFail
			}
			p.nextRegExp()
			if !elemOpener[p.tok] {
				// elemStart's common case: the element starts
				// with an operand.
				p.e = 0
				continue
			}
			if st := p.elemStart(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tLBrace:
			if p.open(kObject, p.e, cAssign|cBind|p.patternContext()) == nil {
				return sFail
			}
			p.nextDiv()
			return sObjProp
		case tPrivate:
			// #x in obj (ergonomic brand check).
			if p.fn&fnClass == 0 || p.top().kind == kNew {
				return sFail
			}
			p.privateRef()
			p.nextDiv()
			if !p.isKw(kwIn) || p.e&eNoIn != 0 {
				return sFail
			}
			p.o = 0
			if st := p.after(); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tNot, tTilde, tPlus, tMinus:
			if st := p.prefix(eUnary); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		case tInc, tDec:
			if st := p.prefix(eUpdate); st != sOperand || p.tok == tErr {
				return st
			}
			continue
		}
		return sFail
	}
}

func (p *parser) prefix(flag uint32) uint8 {
	if p.e&eUpdate != 0 || p.top().kind == kNew {
		return sFail
	}
	p.e = p.e&^eDelete | flag | eNotElem
	p.nextRegExp()
	return sOperand
}

func (p *parser) identOperand() uint8 {
	if p.flags&fEscaped != 0 {
		if p.kw.reserved() {
			return sFail
		}
		info, ok := p.identRef()
		if !ok {
			return sFail
		}
		p.o = info &^ oAsync
		p.idStart, p.idEnd, p.idKw = p.start, p.end, p.kw
		p.nextDiv()
		return p.identArrow()
	}
	k := p.kw
	if k == kwNone {
		// Most names spell no keyword: an IdentifierReference that
		// identRef would accept whatever the context. (operand takes
		// those outside binding patterns itself.)
		p.o = oIdent | oTarget | oBindName
		p.idStart, p.idEnd, p.idKw = p.start, p.end, kwNone
		return p.identEnd()
	}
	switch k {
	case kwThis, kwNull, kwTrue, kwFalse:
		p.o = 0
		p.nextDiv()
		return p.after()
	case kwFunction:
		p.nextDiv()
		gen := false
		if p.tok == tStar {
			gen = true
			p.nextDiv()
		}
		return p.functionExpr(false, gen)
	case kwClass:
		p.nextDiv()
		return p.class(false)
	case kwNew:
		p.nextDiv()
		if p.tok == tDot {
			p.nextDiv()
			if !p.isKw(kwTarget) || p.fn&fnFunc == 0 {
				return sFail
			}
			p.o = 0
			p.nextDiv()
			return p.after()
		}
		if p.open(kNew, 0, 0) == nil {
			return sFail
		}
		p.rescanRegExp()
		return sOperand
	case kwSuper:
		p.nextDiv()
		switch p.tok {
		case tLParen:
			if p.fn&fnSuperCall == 0 || p.top().kind == kNew {
				return sFail
			}
		case tDot, tLBrack:
			if p.fn&fnSuperProp == 0 {
				return sFail
			}
		default:
			return sFail
		}
		p.o = 0
		return p.after()
	case kwImport:
		if p.top().kind == kNew {
			return sFail
		}
		p.nextDiv()
		if p.tok != tLParen || p.open(kArgs, p.e, cImport) == nil {
			return sFail
		}
		p.nextRegExp()
		if p.tok == tRParen || p.tok == tEllipsis {
			return sFail
		}
		p.e = 0
		return sOperand
	case kwTypeof, kwVoid:
		return p.prefix(eUnary)
	case kwDelete:
		if p.prefix(eUnary) == sFail {
			return sFail
		}
		p.e |= eDelete
		return sOperand
	case kwYield:
		if p.fn&fnGen != 0 {
			return p.yield()
		}
	case kwAwait:
		if p.fn&fnAsync != 0 {
			if p.fn&fnParams != 0 {
				return sFail
			}
			p.lastAY = p.start
			return p.prefix(eUnary)
		}
	case kwAsync:
		if p.top().kind == kNew {
			break
		}
		p.idStart, p.idEnd, p.idKw = p.start, p.end, p.kw
		p.nextDiv()
		return p.afterAsync()
	}
	info, ok := p.identRef()
	if !ok {
		return sFail
	}
	p.o = info
	p.idStart, p.idEnd, p.idKw = p.start, p.end, p.kw
	return p.identEnd()
}

// identEnd ends an identifier operand: a name in a declaration's or
// parameter's binding pattern is declared, then what follows is read.
func (p *parser) identEnd() uint8 {
	if t := p.top(); t.a&cDeclPat != 0 && (t.kind == kArray || t.kind == kObject && t.a&objInit == 0) && !p.declarePattern(t, p.start, p.end) {
		return sFail
	}
	p.nextDiv()
	return p.identArrow()
}

// patternContext returns the cDecl flags for an array or object literal
// opening here: in a declaration's or parameter's binding position, or as
// an element of such a pattern (not in a default value).
func (p *parser) patternContext() uint32 {
	t := p.top()
	switch t.kind {
	case kDecl:
		if t.a&declInit == 0 {
			if t.a&declLet != 0 {
				return cDeclPat | cDeclLex
			}
			return cDeclPat
		}
	case kParams:
		if t.a&pfDefault == 0 {
			return cDeclPat | cDeclParam
		}
	case kCatchParam:
		return cDeclPat | cDeclLex
	case kArray, kObject:
		if t.a&cDeclPat != 0 && t.a&objInit == 0 {
			return t.a & (cDeclPat | cDeclLex | cDeclParam)
		}
	}
	return 0
}

// declarePattern declares a name read in the binding pattern whose frame
// is t. A name that turns out not to be bound (a.b) makes the pattern
// invalid anyway.
func (p *parser) declarePattern(t *frame, start, end int) bool {
	k := dVar
	switch {
	case t.a&cDeclLex != 0:
		k = dLex
	case t.a&cDeclParam != 0:
		k = dParamPat
	}
	return p.declare(start, end, k)
}

func (p *parser) yield() uint8 {
	if p.fn&fnParams != 0 || !p.arrowAllowed() {
		return sFail
	}
	p.lastAY = p.start
	p.nextRegExp()
	if p.tok == tStar && !p.nl {
		p.nextRegExp()
	} else if p.nl || p.isEndToken() || p.tok == tComma || p.tok == tColon {
		p.o = 0
		p.e |= eNotElem
		return p.assignEnd()
	}
	if p.open(kRightAssoc, p.e|eNotElem, raYield) == nil {
		return sFail
	}
	p.e &= eNoIn
	return sOperand
}

// isEndToken reports whether the current token closes or separates
// whatever holds an AssignmentExpression.
func (p *parser) isEndToken() bool {
	switch p.tok {
	case tRParen, tRBrack, tRBrace, tSemi, tEOF, tComma, tColon:
		return true
	}
	return p.isKw(kwIn) && p.e&eNoIn != 0 || p.isKw(kwOf)
}

// elemOpener marks the tokens elemStart treats specially at the start of
// an element; any other token starts an operand (or is an error operand
// reports).
var elemOpener = [256]bool{tRParen: true, tRBrack: true, tComma: true, tEllipsis: true, tErr: true}

// elemStart starts an element of a paren, array or argument list; the
// current token follows the opening bracket or a comma.
func (p *parser) elemStart() uint8 {
	f := p.top()
	switch p.tok {
	case tRParen:
		if f.kind == kParen {
			if f.pos == 0 {
				f.a |= cMustArrow
			}
			return p.closeParen()
		}
		if f.kind == kArgs {
			return p.closeArgs()
		}
	case tRBrack:
		if f.kind == kArray {
			return p.closeLiteral()
		}
	case tComma:
		if f.kind == kArray {
			// An elision.
			p.nextRegExp()
			return p.elemStart()
		}
		return sFail
	case tEllipsis:
		if f.kind == kArgs && f.a&cImport != 0 {
			return sFail
		}
		f.a |= cRest
		if f.kind == kParen {
			f.a |= cMustArrow
		}
		p.nextRegExp()
	}
	p.e = 0
	return sOperand
}

// foldElem folds the element summary p.el into the list frame f.
func foldElem(f *frame, el uint32, obj bool) {
	if f.a&cRest == 0 {
		foldPlain(f, el)
		return
	}
	if el&oInit != 0 || !obj && el&(oTarget|oPattern) == 0 || obj && el&oTarget == 0 {
		f.a &^= cAssign
	}
	if el&oInit != 0 || !obj && el&(oBindName|oBindPat) == 0 || obj && el&oBindName == 0 {
		f.a &^= cBind
	}
	f.a = f.a&^cRest | cAfterRest
	f.a &^= cSimple
	foldTail(f, el)
}

// foldPlain is foldElem for an element that is not a rest element, small
// enough to inline where lists end elements.
func foldPlain(f *frame, el uint32) {
	if el&(oTarget|oPattern) == 0 {
		f.a &^= cAssign
	}
	if el&(oBindName|oBindPat) == 0 {
		f.a &^= cBind
	}
	if el&oBindName == 0 || el&oInit != 0 {
		f.a &^= cSimple
	}
	foldTail(f, el)
}

func foldTail(f *frame, el uint32) {
	if el&oNeedPat != 0 {
		f.a |= cNeedPat
	}
	if f.kind != kObject {
		f.pos++
		if f.pos == 1 {
			f.x = el
		}
	}
}

// listSep handles a comma or the closing bracket after an element of a
// paren, array or argument list.
func (p *parser) listSep(f *frame) uint8 {
	if f.kind == kArgs && f.a&cAsync == 0 && p.el&oNeedPat != 0 {
		return sFail
	}
	if f.a&cRest == 0 {
		foldPlain(f, p.el)
	} else {
		foldElem(f, p.el, false)
	}
	if p.tok == tComma {
		if f.a&cAfterRest != 0 {
			if f.kind == kArray {
				f.a &^= cAssign | cBind
			} else if f.kind == kParen {
				return sFail
			} else {
				// A call may spread before other arguments; arrow
				// parameters may not.
				f.a &^= cBind
			}
		}
		if f.kind == kArgs && f.a&cImport != 0 && f.pos >= 2 {
			return sFail
		}
		p.nextRegExp()
		if !elemOpener[p.tok] {
			p.e = 0
			return sOperand
		}
		if p.tok == tRParen && f.kind == kParen {
			f.a |= cMustArrow
			return p.closeParen()
		}
		return p.elemStart()
	}
	switch f.kind {
	case kParen:
		if p.tok == tRParen {
			return p.closeParen()
		}
	case kArray:
		if p.tok == tRBrack {
			return p.closeLiteral()
		}
	case kArgs:
		if p.tok == tRParen {
			return p.closeArgs()
		}
	}
	return sFail
}

// litShift moves a literal's cAssign and cBind to oPattern and oBindPat,
// and (less one) cNeedPat to oNeedPat.
const litShift = 5

// closeLiteral closes the array or object literal on top of the stack at
// its closing bracket: the literal's flags say what it can still become
// (an assignment or binding pattern) and whether it must.
func (p *parser) closeLiteral() uint8 {
	f := p.drop()
	p.e = f.e
	// cAssign, cBind and cNeedPat become oPattern, oBindPat and oNeedPat
	// by shifts (TestLiteralFlags).
	p.o = (f.a&(cAssign|cBind))<<litShift | (f.a&cNeedPat)<<(litShift-1)
	p.nextDiv()
	return sAfter
}

func (p *parser) closeParen() uint8 {
	f := p.drop()
	p.e = f.e
	p.nextDiv()
	if p.tok == tArrow && !p.nl {
		if f.a&cBind == 0 || !p.arrowAllowed() {
			return sFail
		}
		pf := uint32(0)
		if f.a&cSimple == 0 {
			pf |= pfNonSimple
		}
		if p.dupParams(int(f.n), p.start) || p.lastAY > int(f.n) {
			return sFail
		}
		return p.arrowBody(false, pf, int(f.n), p.start)
	}
	if f.a&(cMustArrow|cNeedPat) != 0 {
		return sFail
	}
	p.o = 0
	if f.pos == 1 && f.x&oInit == 0 {
		p.o = f.x & (oTarget | oCall)
	}
	return sAfter
}

func (p *parser) closeArgs() uint8 {
	f := p.drop()
	p.e = f.e
	if f.a&cImport != 0 && f.pos == 0 {
		return sFail
	}
	p.nextDiv()
	if f.a&cAsync != 0 && p.tok == tArrow && !p.nl {
		if f.a&cBind == 0 || f.a&cAfterRest != 0 && false || !p.arrowAllowed() {
			return sFail
		}
		pf := uint32(0)
		if f.a&cSimple == 0 {
			pf |= pfNonSimple
		}
		if p.dupParams(int(f.n), p.start) || p.lastAY > int(f.n) || p.lastAwaitID > int(f.n) {
			return sFail
		}
		return p.arrowBody(true, pf, int(f.n), p.start)
	}
	if f.a&(cNeedPat|cMustArrow) != 0 {
		return sFail
	}
	p.o = oCall
	if f.a&cOpt != 0 {
		p.o = oCall | oOptChain
	}
	if f.a&(cNewArgs|cImport) != 0 {
		// new X() and import() are never assignment targets, not even
		// V8's runtime-error kind.
		p.o = 0
	}
	return sAfter
}

// after handles what follows an operand: member accesses, calls, tagged
// templates, postfix operators, then binary operators and the end.
func (p *parser) after() uint8 {
	// A closing bracket deep in the chain below returns sAfter with
	// another frame on top: loop here rather than through run's
	// dispatch.
	for {
		f := p.top()
		if kindBit(f.kind)&(1<<kDecl|1<<kParams|1<<kCatchParam) != 0 {
			switch f.kind {
			case kDecl:
				if f.a&declInit == 0 {
					return p.declBinding(f)
				}
			case kParams:
				if f.a&pfDefault == 0 {
					return p.paramBinding(f)
				}
			case kCatchParam:
				return p.catchBinding(f)
			}
		}
		// One step: member accesses and untagged templates leave the
		// stack as it is and loop at member; what returns sAfter
		// (a closing bracket) loops to the top.
	member:
		switch p.tok {
		case tRParen, tRBrack, tRBrace, tComma, tSemi, tColon, tEOF:
			// An element of a parenthesized, array or argument list that
			// is a bare operand (no operator pending, no rest element of
			// a call, which assignEnd checks) needs no more than the
			// list's separator or closing bracket: assignEnd would come
			// to the same call.
			if p.e == 0 && kindBit(f.kind)&(1<<kParen|1<<kArray|1<<kArgs) != 0 && f.a&cRest == 0 {
				p.el = p.o
				if st := p.listSep(f); st != sAfter {
					return st
				}
				continue
			}
			// The expression ends here. Without a pending new or a prefix
			// operator, nothing below applies to it: straight to the end.
			if f.kind != kNew && p.e&(eUpdate|eDelete|eUnary) == 0 {
				if st := p.assignEnd(); st != sAfter {
					return st
				}
				continue
			}
		case tDot:
			if p.o&oNeedPat != 0 {
				return sFail
			}
			p.nextName()
			// In an optional chain a member is no assignment target.
			o := uint32(oTarget)
			if p.o&oOptChain != 0 {
				o = oOptChain
			}
			if p.tok == tIdent {
				// memberName's common case.
				p.o = o
				p.nextDiv()
				goto member
			}
			if !p.memberName(o) {
				return sFail
			}
			goto member
		case tOptChain:
			if f.kind == kNew || p.o&oNeedPat != 0 {
				return sFail
			}
			p.nextDiv()
			switch p.tok {
			case tLParen:
				if p.open(kArgs, p.e, cOpt) == nil {
					return sFail
				}
				p.nextRegExp()
				if st := p.elemStart(); st != sAfter {
					return st
				}
				continue
			case tLBrack:
				if p.open(kIndex, p.e, cOpt) == nil {
					return sFail
				}
				p.nextRegExp()
				p.e = 0
				return sOperand
			}
			if !p.memberName(oOptChain) {
				return sFail
			}
			goto member
		case tLBrack:
			a := uint32(0)
			if p.o&oOptChain != 0 {
				a = cOpt
			}
			if p.o&oNeedPat != 0 || p.open(kIndex, p.e, a) == nil {
				return sFail
			}
			p.nextRegExp()
			p.e = 0
			return sOperand
		case tLParen:
			if p.o&oNeedPat != 0 {
				return sFail
			}
			a := uint32(cAssign | cBind | cSimple)
			if f.kind == kNew {
				p.drop()
				a |= cNewArgs
			} else if p.o&oAsync != 0 && !p.nl {
				a |= cAsync
			}
			if p.o&oOptChain != 0 {
				a |= cOpt
			}
			g := p.open(kArgs, p.e, a)
			if g == nil {
				return sFail
			}
			g.n = int32(p.start)
			p.nextRegExp()
			if !elemOpener[p.tok] {
				p.e = 0
				return sOperand
			}
			if st := p.elemStart(); st != sAfter {
				return st
			}
			continue
		case tTemplate, tTemplateHead:
			if p.o&(oOptChain|oNeedPat) != 0 {
				return sFail
			}
			p.o = 0
			if p.tok == tTemplateHead {
				if p.open(kTemplate, p.e, cTagged) == nil {
					return sFail
				}
				p.nextRegExp()
				p.e = 0
				return sOperand
			}
			p.nextDiv()
			goto member
		}
		// The member expression is complete: pending news take no arguments.
		for f.kind == kNew {
			p.drop()
			p.o = 0
			f = p.top()
		}
		if (p.tok == tInc || p.tok == tDec) && !p.nl {
			if p.o&(oTarget|oCall) == 0 || p.o&oOptChain != 0 || p.e&eUpdate != 0 {
				return sFail
			}
			p.o = 0
			p.e |= eNotElem
			p.nextDiv()
		}
		// The operand is complete: binary and assignment operators.
		if p.e&eUpdate != 0 {
			if p.o&(oTarget|oCall) == 0 || p.o&oOptChain != 0 {
				return sFail
			}
			p.o = 0
		}
		if p.e&eDelete != 0 && (p.o&oIdent != 0 && p.strict() || p.o&oPrivate != 0) {
			return sFail
		}
		if p.e&(eUnary|eUpdate) != 0 {
			p.o = 0
		}
		t := p.tok
		if t == tIdent {
			switch p.kwd() {
			case kwIn:
				if p.e&eNoIn != 0 {
					if st := p.assignEnd(); st != sAfter {
						return st
					}
					continue
				}
				t = tLT // any relational operator
			case kwInstanceof:
				t = tLT
			}
		}
		switch {
		case t.isBinary():
			if p.o&oNeedPat != 0 {
				return sFail
			}
			if t == tExp && p.e&eUnary != 0 {
				return sFail
			}
			switch t {
			case tLAnd, tLOr:
				if p.e&eNullish != 0 {
					return sFail
				}
				p.e |= eLogical
			case tNullish:
				if p.e&eLogical != 0 {
					return sFail
				}
				p.e |= eNullish
			}
			p.e = p.e&^(eUnary|eUpdate|eDelete) | eNotElem
			p.o = 0
			p.nextRegExp()
			return sOperand
		case t == tQuestion:
			if p.o&oNeedPat != 0 || p.open(kCond, p.e, 0) == nil {
				return sFail
			}
			p.nextRegExp()
			p.e = 0
			return sOperand
		case t.isAssign():
			if p.e&eNotElem != 0 {
				return sFail
			}
			if t == tAssign {
				if p.o&(oTarget|oCall|oPattern) == 0 || p.o&oOptChain != 0 {
					return sFail
				}
			} else if p.o&(oTarget|oCall) == 0 || p.o&oOptChain != 0 ||
				p.o&oTarget == 0 && (t == tLAndAssign || t == tLOrAssign || t == tNullishAssign) {
				// V8 accepts a call as the target of compound assignment
				// (a runtime ReferenceError), but not of logical assignment.
				return sFail
			}
			lhs := p.o &^ oNeedPat
			if t != tAssign {
				lhs = 0
			}
			if t := p.top(); t.kind == kRightAssoc && t.a == raAssign && p.e&^eNoIn == 0 {
				// a = b = c: only the outermost left-hand side can make an
				// element, so the chain needs one frame.
			} else if g := p.open(kRightAssoc, p.e, raAssign); g == nil {
				return sFail
			} else {
				g.x = lhs
			}
			p.e &= eNoIn
			p.nextRegExp()
			return sOperand
		}
		if st := p.assignEnd(); st != sAfter {
			return st
		}
		continue
	}
}

// catchBinding ends a catch parameter (p.o) at its ')' and opens the
// catch block.
func (p *parser) catchBinding(f *frame) uint8 {
	if p.e&eNotElem != 0 || p.o&(oBindName|oBindPat) == 0 || p.tok != tRParen {
		return sFail
	}
	start, end := p.idStart, p.idEnd
	p.nextDiv()
	if p.tok != tLBrace {
		return sFail
	}
	// The parameter's scope becomes the block's: let e clashes with
	// it, and so does var e unless the parameter is a plain name
	// (Annex B.3.4).
	f.kind = kBlock
	if p.o&oBindName != 0 && !p.declare(start, end, dCatch) {
		return sFail
	}
	p.nextRegExp()
	return sStmtList
}

// memberName reads the IdentifierName or PrivateIdentifier after '.' or
// '?.', whose access gives the operand info o.
func (p *parser) memberName(o uint32) bool {
	switch p.tok {
	case tIdent:
	case tPrivate:
		// A private name must be inside a class body.
		if p.fn&fnClass == 0 {
			return false
		}
		p.privateRef()
		o |= oPrivate
	default:
		return false
	}
	p.o = o
	p.nextDiv()
	return true
}

// exprOwner marks the frame kinds that hold an Expression (a comma list of
// AssignmentExpressions): statements, return and throw arguments, the
// parenthesized heads of if, while, with, switch and do-while, case
// labels, element accesses and template substitutions.
var exprOwner = func() (t [256]bool) {
	for _, k := range []uint8{kScript, kBlock, kFuncBody, kSwitch, kStatic, kIf, kElse, kLoop, kWith, kDo, kLabel, kReturn,
		kParenCond, kCase, kIndex, kTemplate} {
		t[k] = true
	}
	return t
}()

// assignEnd runs when an AssignmentExpression ends at the current token:
// it completes right-associative constructs, then lets the owner of the
// expression decide.
func (p *parser) assignEnd() uint8 {
	if p.e&eNotElem != 0 {
		if p.o&oNeedPat != 0 {
			return sFail
		}
		p.el = 0
	} else {
		p.el = p.o
	}
	for {
		f := p.top()
		if f.kind != kRightAssoc {
			break
		}
		if p.el&oNeedPat != 0 {
			return sFail
		}
		p.drop()
		p.e = f.e
		p.el = 0
		switch f.a {
		case raAssign:
			if f.e&eNotElem == 0 {
				p.el = f.x | oInit
			}
		case raArrow:
			p.fn = f.fn
		}
		// Whatever the construct, it is not a LeftHandSideExpression.
		p.e |= eNotElem
	}
	f := p.top()
	if exprOwner[f.kind] {
		// An Expression: a comma continues it, and a cover grammar
		// left unresolved is an error.
		if p.el&oNeedPat != 0 {
			return sFail
		}
		if p.tok == tComma {
			p.nextRegExp()
			p.e = 0
			return sOperand
		}
	}
	switch f.kind {
	case kScript, kBlock, kFuncBody, kSwitch, kStatic, kIf, kElse, kLoop, kWith, kDo, kLabel, kReturn:
		// An expression statement (its owner is the statement holding
		// it: expression statements push no frame), or the argument of
		// return or throw.
		if f.kind == kReturn {
			p.drop()
		}
		return sStmtEnd
	case kParenCond:
		if p.tok != tRParen {
			return sFail
		}
		p.drop()
		switch f.a {
		case condSwitch:
			p.nextDiv()
			if p.tok != tLBrace {
				return sFail
			}
			p.top().a = swOpen
			p.nextRegExp()
			return sStmtList
		case condDoWhile:
			p.pop() // the kDo
			p.nextRegExp()
			if p.tok == tSemi {
				p.nextRegExp()
			} else {
				p.rescanRegExp()
			}
			return sStmtDone
		}
		p.nextRegExp()
		return sSubStmt
	case kCase:
		if p.tok != tColon {
			return sFail
		}
		p.drop()
		p.nextRegExp()
		return sStmtList
	case kParen, kArray, kArgs:
		if f.a&cRest != 0 && f.kind == kArgs && f.a&cAsync == 0 {
			f.a &^= cRest
			if p.el&oNeedPat != 0 {
				return sFail
			}
			p.el = 0
		}
		return p.listSep(f)
	case kIndex:
		if p.tok != tRBrack {
			return sFail
		}
		p.drop()
		p.e = f.e
		p.o = oTarget
		if f.a&cOpt != 0 {
			p.o = oOptChain
		}
		p.nextDiv()
		return sAfter
	case kTemplate:
		if p.tok != tRBrace {
			return sFail
		}
		p.templateCont()
		if p.flags&fBadEscape != 0 && f.a&cTagged == 0 {
			// Only a tagged template may hold an invalid escape.
			return sFail
		}
		switch p.tok {
		case tTemplateMid:
			p.nextRegExp()
			p.e = 0
			return sOperand
		case tTemplateTail:
			p.drop()
			p.e = f.e
			p.o = 0
			p.nextDiv()
			return sAfter
		}
		return sFail
	case kCond:
		if p.el&oNeedPat != 0 || p.tok != tColon {
			return sFail
		}
		p.drop()
		if t := p.top(); t.kind == kRightAssoc && t.a == raCond && f.e&^eNoIn == 0 {
			// a ? b : c ? d : e: one frame for the chain.
		} else if p.open(kRightAssoc, f.e|eNotElem, raCond) == nil {
			return sFail
		}
		p.e = f.e & eNoIn
		p.nextRegExp()
		return sOperand
	case kComputed:
		if p.el&oNeedPat != 0 || p.tok != tRBrack {
			return sFail
		}
		p.drop()
		p.e, p.fn = f.e, f.fn
		p.nextDiv()
		if f.a == uint32(kObject) {
			return p.objAfterKey(uint32(f.pos))
		}
		return p.classAfterKey(uint32(f.pos))
	case kObject:
		return p.objValueEnd(f)
	case kDecl:
		return p.declInitEnd(f)
	case kForHead:
		return p.forPartEnd(f)
	case kParams:
		if p.el&oNeedPat != 0 || f.a&pfDefault == 0 {
			return sFail
		}
		f.a &^= pfDefault
		return p.paramSep(f)
	case kClassHeritage:
		if p.el&oNeedPat != 0 || p.e&eNotElem != 0 || p.tok != tLBrace {
			return sFail
		}
		p.drop()
		p.fn = f.fn
		return p.classBody(f.ret, true, f.e)
	case kFieldInit:
		if p.el&oNeedPat != 0 {
			return sFail
		}
		p.drop()
		p.fn = f.fn
		return p.fieldEnd()
	}
	return sFail
}

// declBinding checks a declaration's binding (p.o) and moves on.
func (p *parser) declBinding(f *frame) uint8 {
	if p.e&eNotElem != 0 || p.o&(oBindName|oBindPat) == 0 {
		return sFail
	}
	if f.a&declLet != 0 && p.o&oLet != 0 {
		return sFail
	}
	f.a &^= declPat | declHasIni
	if p.o&oBindName == 0 {
		f.a |= declPat
	} else {
		k := dVar
		if f.a&declLet != 0 {
			k = dLex
		}
		if !p.declare(p.idStart, p.idEnd, k) {
			return sFail
		}
	}
	if p.tok == tAssign {
		f.a |= declInit | declHasIni
		p.nextRegExp()
		p.e &= eNoIn
		return sOperand
	}
	return p.declEnd(f)
}

func (p *parser) declInitEnd(f *frame) uint8 {
	if p.el&oNeedPat != 0 || f.a&declInit == 0 {
		return sFail
	}
	f.a &^= declInit
	return p.declEnd(f)
}

// declEnd runs after a declarator.
func (p *parser) declEnd(f *frame) uint8 {
	f.pos++
	if f.a&declFor != 0 && f.pos == 1 {
		if p.isKw(kwIn) || p.isKw(kwOf) {
			of := p.isKw(kwOf)
			if f.a&declHasIni != 0 {
				// Annex B.3.5: for (var x = init in obj), sloppy only.
				if of || f.a&declVar == 0 || f.a&declPat != 0 || p.strict() {
					return sFail
				}
			}
			p.drop()
			return p.forInOf(of)
		}
	}
	if f.a&declHasIni == 0 && (f.a&declPat != 0 || f.a&declConst != 0) {
		return sFail
	}
	switch {
	case p.tok == tComma:
		p.nextRegExp()
		p.e &= eNoIn
		return sOperand
	case f.a&declFor != 0:
		if p.tok != tSemi {
			return sFail
		}
		p.drop()
		return p.forNext()
	}
	p.drop()
	return sStmtEnd
}

// forPartEnd runs after an expression in a for head.
func (p *parser) forPartEnd(f *frame) uint8 {
	switch f.a {
	case fsInit, fsInit | fsComma:
		if p.isKw(kwIn) || p.isKw(kwOf) {
			of := p.isKw(kwOf)
			if f.a&fsComma != 0 || p.e&eNotElem != 0 || p.el&oInit != 0 || p.el&(oTarget|oCall|oPattern) == 0 || p.el&oOptChain != 0 {
				return sFail
			}
			if of && p.el&(oLet|oAsync) != 0 {
				return sFail
			}
			return p.forInOf(of)
		}
		if p.el&oNeedPat != 0 {
			return sFail
		}
		if p.tok == tComma {
			f.a |= fsComma
			p.nextRegExp()
			p.e = eNoIn
			return sOperand
		}
		if p.tok != tSemi {
			return sFail
		}
		f.a = fsInit
		return p.forNext()
	case fsTest:
		if p.el&oNeedPat != 0 {
			return sFail
		}
		if p.tok == tComma {
			p.nextRegExp()
			p.e = 0
			return sOperand
		}
		if p.tok != tSemi {
			return sFail
		}
		return p.forNext()
	case fsUpdate, fsIn, fsOf:
		if p.el&oNeedPat != 0 {
			return sFail
		}
		if p.tok == tComma && f.a != fsOf {
			p.nextRegExp()
			p.e = 0
			return sOperand
		}
		if p.tok != tRParen {
			return sFail
		}
		return p.forBody()
	}
	return sFail
}

// dupParams reports whether the simple arrow parameter list between the
// '(' at src[open] and the "=>" at src[arrow] names a parameter twice. It
// rescans the list: the expression parse that read it kept no names.
func (p *parser) dupParams(open, arrow int) bool {
	if open < 0 || open >= arrow || arrow > len(p.src) {
		return false // not reached; never index out of the body
	}
	l := lexer{src: p.src[:arrow], pos: open + 1}
	p.resetNames()
	for {
		l.next(false)
		switch l.tok {
		case tIdent:
			if p.addName(l.start, l.end) {
				return true
			}
		case tComma, tEllipsis:
		default:
			return false
		}
	}
}
