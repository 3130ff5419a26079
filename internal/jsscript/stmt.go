package jsscript

// Sub-kinds of kParenCond (frame.a).
const (
	condIf = iota
	condWhile
	condWith
	condSwitch
	condDoWhile
)

// kDecl flags (frame.a).
const (
	declVar    = 1 << iota
	declLet    // let or const
	declConst  //
	declFor    // in a for head
	declInit   // parsing an initializer (else the binding)
	declPat    // the current binding is a pattern
	declHasIni // the current declarator has an initializer
)

// kForHead states (frame.a).
const (
	fsInit = iota
	fsTest
	fsUpdate
	fsIn
	fsOf

	fsComma = 8 // flag: the init expression has a comma
)

// kSwitch flags.
const (
	swOpen    = 1 << iota // the { was seen
	swDefault             // a default clause was seen
	swClause              // a clause was seen
)

// kTry states.
const (
	tryBlock = iota
	tryCatch
	tryFinally
)

// step runs one state and returns the next.
func (p *parser) step(st uint8) uint8 {
	switch st {
	case sDirective:
		return p.directive()
	case sStmtList:
		return p.stmtList()
	case sStmt:
		return p.statement(false)
	case sSubStmt:
		return p.statement(true)
	case sStmtDone:
		return p.stmtDone()
	case sStmtEnd:
		return p.stmtEnd()
	case sOperand:
		return p.operand()
	case sAfter:
		return p.after()
	case sAssignEnd:
		return p.assignEnd()
	case sAfterArrowBlock:
		p.o = 0
		p.e |= eNotElem
		if p.isEndToken() || p.nl {
			return p.assignEnd()
		}
		return sFail
	case sObjProp:
		return p.objProp()
	case sObjMethodEnd:
		p.el = 0
		f := p.top()
		foldElem(f, 0, false)
		return p.objSep(f)
	case sClassMember:
		return p.classMember()
	case sParam:
		return p.param()
	}
	return sFail
}

// directive handles a directive prologue entry, or leaves the prologue.
func (p *parser) directive() uint8 {
	if p.tok != tString {
		return sStmtList
	}
	flags := p.flags
	p.nextDiv()
	if !(p.tok == tSemi || p.tok == tRBrace || p.tok == tEOF || p.nl && !p.continuesExpr()) {
		// An expression statement that starts with a string.
		if flags&fLegacyOctal != 0 && p.strict() {
			return sFail
		}
		p.e, p.o = 0, 0
		return sAfter
	}
	f := p.top()
	if flags&fLegacyOctal != 0 {
		if p.strict() {
			return sFail
		}
		f.a |= pfOctalDirective
	}
	if flags&fUseStrict != 0 && !p.strict() {
		// Retroactive strictness: the parameters and the function's name
		// were parsed as sloppy code.
		if f.a&(pfOctalDirective|pfBadStrict) != 0 {
			return sFail
		}
		if f.kind == kFuncBody && f.a&(pfNonSimple|pfDup) != 0 {
			return sFail
		}
		p.fn |= fnStrict
	}
	if p.tok == tSemi {
		p.nextRegExp()
	} else if p.nl {
		p.rescanRegExp()
	}
	return sDirective
}

// continuesExpr reports whether the current token, after an operand, would
// continue the expression rather than let a semicolon be inserted before
// it.
func (p *parser) continuesExpr() bool {
	t := p.tok
	switch t {
	case tLParen, tLBrack, tDot, tOptChain, tTemplate, tTemplateHead, tQuestion, tComma, tArrow:
		return true
	case tIdent:
		k := p.kwd()
		return k == kwIn || k == kwInstanceof
	}
	return t.isBinary() || t.isAssign()
}

// rescanRegExp rescans a '/' or '/=' token as the start of a regular
// expression: the token was scanned as division, but an inserted semicolon
// makes it start a statement.
func (p *parser) rescanRegExp() {
	if p.tok == tSlash || p.tok == tDivAssign {
		p.pos = p.start
		p.nextRegExp()
		p.nl = true
	}
}

// kwd returns the current token's keyword when it may act as one (an
// unescaped identifier), else kwNone.
func (p *parser) kwd() kw {
	if p.tok != tIdent || p.flags&fEscaped != 0 {
		return kwNone
	}
	return p.kw
}

func (p *parser) isKw(k kw) bool { return p.tok == tIdent && p.kw == k && p.flags&fEscaped == 0 }

func (p *parser) stmtList() uint8 {
	f := p.top()
	switch p.tok {
	case tRBrace:
		switch f.kind {
		case kBlock, kSwitch:
			p.pop()
			p.nextRegExp()
			return sStmtDone
		case kFuncBody:
			return p.endFunction()
		case kStatic:
			g := p.pop()
			p.fn = g.fn
			p.nextDiv()
			return sClassMember
		}
		return sFail
	case tEOF:
		if f.kind == kScript {
			return sDone
		}
		return sFail
	}
	if f.kind == kSwitch {
		switch p.kwd() {
		case kwCase:
			f.a |= swClause
			if p.open(kCase, 0, 0) == nil {
				return sFail
			}
			p.nextRegExp()
			p.e = 0
			return sOperand
		case kwDefault:
			if f.a&swDefault != 0 {
				return sFail
			}
			f.a |= swDefault | swClause
			p.nextDiv()
			if p.tok != tColon {
				return sFail
			}
			p.nextRegExp()
			return sStmtList
		}
		if f.a&swClause == 0 {
			return sFail
		}
	}
	// Not a cycle either: statement returns the states that lead back
	// here rather than calling them.
	if p.tok == tIdent && p.kw == kwNone {
		// statement's common case: a name that spells no keyword.
		return p.identStmt()
	}
	return p.statement(false)
}

// listParent reports whether frame i holds a statement list.
func isList(kind uint8) bool {
	switch kind {
	case kScript, kBlock, kFuncBody, kSwitch, kStatic:
		return true
	}
	return false
}

func (p *parser) statement(sub bool) uint8 {
	if p.tok == tLBrace {
		if !p.push(frame{kind: kBlock}) {
			return sFail
		}
		p.nextRegExp()
		return sStmtList
	}
	if p.tok == tSemi {
		p.nextRegExp()
		return sStmtDone
	}
	if p.tok != tIdent {
		return p.exprStmt()
	}
	if p.kw == kwNone {
		// Most statements starting with a name start with one that
		// spells no keyword: an expression statement or a label.
		return p.identStmt()
	}
	if p.flags&fEscaped != 0 {
		if p.kw.reserved() {
			return sFail
		}
		if p.kw == kwLet && !sub {
			// An escaped let cannot start a declaration, and V8 rejects
			// it as an expression statement's start too when a binding
			// follows; treat it as an identifier.
			return p.identStmt()
		}
		return p.identStmt()
	}
	switch p.kw {
	case kwVar:
		return p.declaration(declVar)
	case kwConst:
		if sub {
			return sFail
		}
		return p.declaration(declLet | declConst)
	case kwLet:
		start := p.start
		p.nextDiv()
		if p.tok == tLBrack || p.tok == tLBrace || p.tok == tIdent && !p.kwd().reserved() {
			if sub {
				if p.tok == tLBrack {
					return sFail
				}
				if !p.nl {
					return sFail
				}
				// let, then an inserted semicolon.
				if p.strict() {
					return sFail
				}
			} else {
				if p.open(kDecl, 0, declLet) == nil {
					return sFail
				}
				p.e = 0
				return sOperand
			}
		}
		if p.tok == tColon {
			// A label named let.
			p.pos = start
			p.nextDiv()
			return p.identStmt()
		}
		if p.strict() {
			return sFail
		}
		p.e, p.o = 0, oIdent|oTarget|oBindName|oLet
		p.idStart, p.idEnd, p.idKw = start, start+3, kwLet
		return p.identArrow()
	case kwFunction:
		if sub && !p.annexBFunction() {
			return sFail
		}
		p.nextDiv()
		gen := false
		if p.tok == tStar {
			if sub {
				return sFail
			}
			gen = true
			p.nextDiv()
		}
		return p.functionDecl(false, gen)
	case kwAsync:
		p.idStart, p.idEnd, p.idKw = p.start, p.end, p.kw
		p.nextDiv()
		if p.isKw(kwFunction) && !p.nl {
			if sub {
				return sFail
			}
			p.nextDiv()
			gen := false
			if p.tok == tStar {
				gen = true
				p.nextDiv()
			}
			return p.functionDecl(true, gen)
		}
		if p.tok == tColon {
			p.pos, p.tok = p.idStart, tIdent
			p.nextDiv()
			return p.identStmt()
		}
		p.e = 0
		return p.afterAsync()
	case kwClass:
		if sub {
			return sFail
		}
		p.nextDiv()
		return p.class(true)
	case kwIf:
		return p.parenStmt(kIf, condIf)
	case kwWhile:
		return p.parenStmt(kLoop, condWhile)
	case kwWith:
		if p.strict() {
			return sFail
		}
		return p.parenStmt(kWith, condWith)
	case kwSwitch:
		return p.parenStmt(kSwitch, condSwitch)
	case kwDo:
		if !p.push(frame{kind: kDo}) {
			return sFail
		}
		p.nextRegExp()
		return sSubStmt
	case kwFor:
		return p.forStmt()
	case kwTry:
		p.nextDiv()
		if p.tok != tLBrace || p.open(kTry, 0, 0) == nil || !p.push(frame{kind: kBlock}) {
			return sFail
		}
		p.nextRegExp()
		return sStmtList
	case kwReturn:
		if p.fn&fnReturn == 0 {
			return sFail
		}
		p.nextRegExp()
		if p.tok == tSemi || p.tok == tRBrace || p.tok == tEOF || p.nl {
			return sStmtEnd
		}
		if p.open(kReturn, 0, 0) == nil {
			return sFail
		}
		p.e = 0
		return sOperand
	case kwThrow:
		p.nextRegExp()
		if p.nl || p.open(kReturn, 0, 0) == nil {
			return sFail
		}
		p.e = 0
		return sOperand
	case kwBreak, kwContinue:
		return p.jump(p.kw == kwContinue)
	case kwDebugger:
		p.nextDiv()
		return sStmtEnd
	case kwImport:
		return p.exprStmt()
	case kwThis, kwNull, kwTrue, kwFalse, kwNew, kwTypeof, kwVoid, kwDelete, kwSuper:
		return p.exprStmt()
	case kwYield:
		if p.fn&fnGen != 0 {
			return p.exprStmt()
		}
	case kwAwait:
		if p.fn&fnAsync != 0 {
			return p.exprStmt()
		}
	}
	if p.kw.reserved() {
		return sFail
	}
	return p.identStmt()
}

// annexBFunction reports whether a function declaration may stand where a
// statement is required: in sloppy code, as an if clause (B.3.3) or after
// labels in a statement list (B.3.2).
func (p *parser) annexBFunction() bool {
	if p.strict() {
		return false
	}
	i := p.sp - 1
	switch p.stack[i].kind {
	case kIf, kElse:
		return true
	case kLabel:
		for i >= 0 && p.stack[i].kind == kLabel {
			i--
		}
		return i >= 0 && isList(p.stack[i].kind)
	}
	return false
}

// identStmt handles a statement starting with an identifier: a labelled
// statement or an expression statement.
func (p *parser) identStmt() uint8 {
	info := uint32(oIdent | oTarget | oBindName) // identRef's answer for kwNone
	if p.kw != kwNone {
		var ok bool
		if info, ok = p.identRef(); !ok {
			return sFail
		}
	}
	start, end := p.start, p.end
	p.nextDiv()
	if p.tok == tColon {
		if info&oIdent == 0 || p.kw == kwYield && p.fn&fnGen != 0 {
			return sFail
		}
		if !p.pushLabel(start, end) {
			return sFail
		}
		p.nextRegExp()
		return sSubStmt
	}
	p.e, p.o = 0, info
	p.idStart, p.idEnd = start, end
	return p.identArrow()
}

func (p *parser) exprStmt() uint8 {
	p.e = 0
	return sOperand
}

func (p *parser) parenStmt(kind uint8, cond uint32) uint8 {
	p.nextDiv()
	if p.tok != tLParen || !p.push(frame{kind: kind}) || p.open(kParenCond, 0, cond) == nil {
		return sFail
	}
	p.nextRegExp()
	p.e = 0
	return sOperand
}

func (p *parser) declaration(kind uint32) uint8 {
	if p.open(kDecl, 0, kind) == nil {
		return sFail
	}
	p.nextRegExp()
	p.e = 0
	return sOperand
}

// jump handles break and continue.
func (p *parser) jump(cont bool) uint8 {
	p.nextDiv()
	if p.tok == tIdent && !p.nl && p.kwd() != kwIn && p.kwd() != kwInstanceof {
		name := p.src[p.start:p.end]
		i := p.findLabel(name, labelHash(name))
		// continue needs a label of an iteration statement.
		if i < 0 || cont && p.stack[i].ret == 0 {
			return sFail
		}
		p.nextDiv()
		return sStmtEnd
	}
	t := p.top()
	if cont && t.loops == 0 || t.brk == 0 {
		return sFail
	}
	return sStmtEnd
}

func (p *parser) stmtEnd() uint8 {
	switch {
	case p.tok == tSemi:
		p.nextRegExp()
	case p.tok == tRBrace || p.tok == tEOF:
	case p.nl:
		p.rescanRegExp()
	default:
		return sFail
	}
	// Not a cycle: stmtDone and stmtList return rather than call back.
	if kindBit(p.top().kind)&(1<<kScript|1<<kBlock|1<<kFuncBody|1<<kSwitch|1<<kStatic) != 0 {
		// stmtDone's common case: the statement was in a list.
		return p.stmtList()
	}
	return p.stmtDone()
}

func (p *parser) stmtDone() uint8 {
	f := p.top()
	switch f.kind {
	case kScript, kBlock, kFuncBody, kSwitch, kStatic:
		return p.stmtList()
	case kIf:
		if p.isKw(kwElse) {
			f.kind = kElse
			p.nextRegExp()
			return sSubStmt
		}
		p.pop()
		return sStmtDone
	case kElse, kLoop, kWith, kLabel:
		p.pop()
		return sStmtDone
	case kDo:
		if !p.isKw(kwWhile) {
			return sFail
		}
		p.nextDiv()
		if p.tok != tLParen || p.open(kParenCond, 0, condDoWhile) == nil {
			return sFail
		}
		p.nextRegExp()
		p.e = 0
		return sOperand
	case kTry:
		if f.a == tryBlock || f.a == tryCatch {
			if f.a == tryBlock && p.isKw(kwCatch) {
				f.a = tryCatch
				p.nextDiv()
				if p.tok == tLParen {
					if !p.push(frame{kind: kCatchParam}) {
						return sFail
					}
					p.nextRegExp()
					p.e = 0
					return sOperand
				}
				if p.tok != tLBrace || !p.push(frame{kind: kBlock}) {
					return sFail
				}
				p.nextRegExp()
				return sStmtList
			}
			if p.isKw(kwFinally) {
				f.a = tryFinally
				p.nextDiv()
				if p.tok != tLBrace || !p.push(frame{kind: kBlock}) {
					return sFail
				}
				p.nextRegExp()
				return sStmtList
			}
			if f.a == tryBlock {
				return sFail
			}
		}
		p.pop()
		return sStmtDone
	}
	return sFail
}

func (p *parser) forStmt() uint8 {
	p.nextDiv()
	await := false
	if p.isKw(kwAwait) {
		if p.fn&fnAsync == 0 {
			return sFail
		}
		await = true
		p.nextDiv()
	}
	if p.tok != tLParen || !p.push(frame{kind: kForHead, a: fsInit, ret: uint8(b2i(await))}) {
		return sFail
	}
	p.nextRegExp()
	switch {
	case p.tok == tSemi:
		return p.forNext()
	case p.isKw(kwVar):
		return p.forDecl(declVar)
	case p.isKw(kwConst):
		return p.forDecl(declLet | declConst)
	case p.isKw(kwLet):
		p.idStart, p.idEnd, p.idKw = p.start, p.end, kwLet
		p.nextDiv()
		if p.tok == tLBrack || p.tok == tLBrace || p.tok == tIdent && !p.kwd().reserved() {
			if p.open(kDecl, 0, declLet|declFor) == nil {
				return sFail
			}
			p.e = eNoIn
			return sOperand
		}
		if p.strict() {
			return sFail
		}
		p.e, p.o = eNoIn, oIdent|oTarget|oBindName|oLet
		return p.identArrow()
	}
	p.e = eNoIn
	return sOperand
}

func b2i(b bool) int32 {
	if b {
		return 1
	}
	return 0
}

func (p *parser) forDecl(kind uint32) uint8 {
	if p.open(kDecl, 0, kind|declFor) == nil {
		return sFail
	}
	p.nextRegExp()
	p.e = eNoIn
	return sOperand
}

// forNext moves a for head past a ';' (the current token).
func (p *parser) forNext() uint8 {
	f := p.top()
	if f.ret != 0 { // for await needs of
		return sFail
	}
	p.nextRegExp()
	switch f.a {
	case fsInit:
		f.a = fsTest
		if p.tok == tSemi {
			return p.forNext()
		}
	case fsTest:
		f.a = fsUpdate
		if p.tok == tRParen {
			return p.forBody()
		}
	default:
		return sFail
	}
	p.e = 0
	return sOperand
}

func (p *parser) forBody() uint8 {
	f := p.top()
	f.kind, f.a = kLoop, 0
	f.loops++
	f.brk++
	p.nextRegExp()
	return sSubStmt
}

// forInOf starts the right-hand side of a for-in or for-of head; the
// current token is in or of.
func (p *parser) forInOf(of bool) uint8 {
	f := p.top()
	if f.ret != 0 && !of {
		return sFail
	}
	f.a = fsIn
	if of {
		f.a = fsOf
	}
	p.nextRegExp()
	p.e = 0
	return sOperand
}
