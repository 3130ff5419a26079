package jsscript

// Property and member modifiers and key facts (mode arguments).
const (
	mGen = 1 << iota
	mAsync
	mGet
	mSet
	mStatic
	mComputed
	mCtor      // the key is constructor (not computed)
	mPrototype // the key is prototype
	mProto     // the key is __proto__
	mPrivate   // a private name
	mShorthand // the key is an identifier usable as a reference
)

// kClassBody flags.
const (
	clsDerived = 1 << iota
	clsCtor
)

// bindingName checks the current identifier as the BindingIdentifier of a
// function or class named in context fn, returning pfBadStrict when strict
// code would reject it.
func (p *parser) bindingName(fn uint32) (uint32, bool) {
	save := p.fn
	p.fn = fn
	info, ok := p.identRef()
	p.fn = save
	if !ok || p.kw == kwArguments && fn&fnNoArgs != 0 {
		return 0, false
	}
	if fn&fnStrict != 0 && info&oBindName == 0 {
		return 0, false
	}
	if info&oEvalArgs != 0 || p.kw.strictReserved() {
		return pfBadStrict, true
	}
	return 0, true
}

func fnKind(async, gen bool) uint32 {
	fn := uint32(fnFunc | fnReturn)
	if async {
		fn |= fnAsync
	}
	if gen {
		fn |= fnGen
	}
	return fn
}

func (p *parser) functionDecl(async, gen bool) uint8 {
	if p.tok != tIdent {
		return sFail
	}
	pf, ok := p.bindingName(p.fn)
	if !ok {
		return sFail
	}
	// A function is var-scoped at a function's top level and lexical in
	// a block; as an if clause (Annex B.3.3) it sits in a scope of its
	// own.
	if t := p.top().kind; t != kIf && t != kElse {
		k := dLex
		switch {
		case p.inFunctionScope():
			k = dVar
		case !async && !gen:
			k = dFuncLex
		}
		if !p.declare(p.start, p.end, k) {
			return sFail
		}
	}
	p.nextDiv()
	return p.funcParams(fnKind(async, gen), sStmtDone, pf)
}

func (p *parser) functionExpr(async, gen bool) uint8 {
	pf := uint32(0)
	if p.tok == tIdent {
		// The name belongs to the function's own scope.
		fn := p.fn&^(fnAsync|fnGen|fnStatic) | fnKind(async, gen)
		var ok bool
		if pf, ok = p.bindingName(fn); !ok {
			return sFail
		}
		p.nextDiv()
	}
	return p.funcParams(fnKind(async, gen), sAfter, pf)
}

// funcParams starts a function's parameter list at the current '('. fn is
// the function's own context, ret the state after its body.
func (p *parser) funcParams(fn uint32, ret uint8, pf uint32) uint8 {
	if p.tok != tLParen {
		return sFail
	}
	fn |= p.fn & (fnStrict | fnClass)
	if !p.push(frame{kind: kFuncBody, ret: ret, fn: p.fn, e: p.e, a: pf, pos: int32(p.lastAY)}) ||
		p.open(kParams, 0, pf&(pfGetter|pfSetter)) == nil {
		return sFail
	}
	p.fn = fn | fnParams
	p.resetNames()
	p.nextRegExp()
	return sParam
}

// param starts a parameter, or ends the list.
func (p *parser) param() uint8 {
	f := p.top()
	switch p.tok {
	case tRParen:
		return p.paramsEnd()
	case tEllipsis:
		f.a |= pfRest | pfNonSimple
		p.nextRegExp()
	}
	p.e = 0
	return sOperand
}

func (p *parser) paramBinding(f *frame) uint8 {
	if p.e&eNotElem != 0 || p.o&(oBindName|oBindPat) == 0 {
		return sFail
	}
	f.pos++
	if p.o&oBindName != 0 {
		if p.addName(p.idStart, p.idEnd) {
			f.a |= pfDup
		}
		if !p.declare(p.idStart, p.idEnd, dParam) {
			return sFail
		}
		if p.o&oEvalArgs != 0 || p.idKw.strictReserved() {
			f.a |= pfBadStrict
		}
	} else {
		f.a |= pfNonSimple
	}
	if f.a&pfRest != 0 {
		f.a = f.a&^pfRest | pfAfterRest
		if f.a&pfSetter != 0 {
			return sFail
		}
	} else if p.tok == tAssign {
		f.a |= pfDefault | pfNonSimple
		p.nextRegExp()
		p.e = 0
		return sOperand
	}
	return p.paramSep(f)
}

func (p *parser) paramSep(f *frame) uint8 {
	switch p.tok {
	case tComma:
		if f.a&pfAfterRest != 0 {
			return sFail
		}
		p.nextRegExp()
		if p.tok == tRParen {
			return p.paramsEnd()
		}
		return sParam
	case tRParen:
		return p.paramsEnd()
	}
	return sFail
}

func (p *parser) paramsEnd() uint8 {
	f := p.pop()
	g := p.top()
	g.a |= f.a & (pfNonSimple | pfDup | pfBadStrict)
	if f.a&pfGetter != 0 && f.pos != 0 || f.a&pfSetter != 0 && f.pos != 1 {
		return sFail
	}
	if g.a&pfDup != 0 && (g.a&(pfUnique|pfNonSimple) != 0 || p.strict()) {
		return sFail
	}
	if g.a&pfBadStrict != 0 && p.strict() {
		return sFail
	}
	p.fn &^= fnParams
	p.nextDiv()
	if p.tok != tLBrace {
		return sFail
	}
	p.nextRegExp()
	return sDirective
}

// endFunction closes a function body at its '}'.
func (p *parser) endFunction() uint8 {
	f := p.pop()
	p.fn, p.e, p.lastAY = f.fn, f.e, int(f.pos)
	switch f.ret {
	case sStmtDone, sAfterArrowBlock:
		p.nextRegExp()
	case sObjMethodEnd:
		p.nextDiv()
	default:
		p.o = 0
		p.nextDiv()
	}
	return f.ret
}

// class parses after the class keyword.
func (p *parser) class(decl bool) uint8 {
	if p.tok == tIdent && !p.isKw(kwExtends) {
		if _, ok := p.bindingName(p.fn | fnStrict); !ok {
			return sFail
		}
		if decl && !p.declare(p.start, p.end, dLex) {
			return sFail
		}
		p.nextDiv()
	} else if decl {
		return sFail
	}
	ret := sAfter
	if decl {
		ret = sStmtDone
	}
	if p.isKw(kwExtends) {
		if !p.push(frame{kind: kClassHeritage, ret: ret, fn: p.fn, e: p.e}) {
			return sFail
		}
		p.fn |= fnStrict
		p.nextRegExp()
		p.e = 0
		return sOperand
	}
	return p.classBody(ret, false, p.e)
}

func (p *parser) classBody(ret uint8, derived bool, e uint32) uint8 {
	if p.tok != tLBrace {
		return sFail
	}
	a := uint32(0)
	if derived {
		a = clsDerived
	}
	if !p.push(frame{kind: kClassBody, ret: ret, fn: p.fn, e: e, a: a, pos: int32(p.nPriv), n: int32(p.nRef)}) {
		return sFail
	}
	p.fn |= fnStrict | fnClass
	p.nextDiv()
	return sClassMember
}

// isKeyEnd reports whether the current token, after a modifier word,
// shows that the word was the member's name.
func (p *parser) isKeyEnd() bool {
	switch p.tok {
	case tLParen, tAssign, tSemi, tRBrace, tEOF:
		return true
	}
	return false
}

func (p *parser) classMember() uint8 {
	f := p.top()
	switch p.tok {
	case tSemi:
		p.nextDiv()
		return sClassMember
	case tRBrace:
		p.pop()
		p.fn, p.e = f.fn, f.e
		if !p.resolvePrivate(int(f.pos), int(f.n)) {
			return sFail
		}
		if f.ret == sStmtDone {
			p.nextRegExp()
		} else {
			p.o = 0
			p.nextDiv()
		}
		return f.ret
	}
	mode := uint32(0)
	if p.isKw(kwStatic) {
		p.nextDiv()
		if p.isKeyEnd() {
			return p.classAfterKey(0)
		}
		if p.tok == tLBrace {
			if !p.push(frame{kind: kStatic, fn: p.fn}) {
				return sFail
			}
			p.fn = fnStrict | fnClass | fnNoArgs | fnStatic | fnSuperProp
			p.nextRegExp()
			return sStmtList
		}
		mode |= mStatic
	}
	if p.isKw(kwAsync) {
		p.nextDiv()
		if p.isKeyEnd() || p.nl {
			return p.classAfterKey(mode)
		}
		mode |= mAsync
	}
	if p.tok == tStar {
		mode |= mGen
		p.nextDiv()
	} else if mode&mAsync == 0 && (p.isKw(kwGet) || p.isKw(kwSet)) {
		acc := uint32(mGet)
		if p.kw == kwSet {
			acc = mSet
		}
		p.nextDiv()
		if p.isKeyEnd() {
			return p.classAfterKey(mode)
		}
		mode |= acc
	}
	switch p.tok {
	case tIdent:
		switch p.kw {
		case kwConstructor:
			mode |= mCtor
		case kwPrototype:
			mode |= mPrototype
		}
	case tString:
		switch string(p.src[p.start+1 : p.end-1]) {
		case "constructor":
			mode |= mCtor
		case "prototype":
			mode |= mPrototype
		}
	case tNum:
	case tPrivate:
		if string(p.src[p.start+1:p.end]) == "constructor" || !p.privateDecl(int(f.pos), mode) {
			return sFail
		}
		mode |= mPrivate
	case tLBrack:
		// V8 lets legacy octal through in computed keys of class
		// members (see README).
		return p.computedKey(kClassBody, mode, fnOctalQuirk)
	default:
		return sFail
	}
	p.nextDiv()
	return p.classAfterKey(mode)
}

// computedKey starts the expression of a computed property key of an
// object literal or class body (owner); fn holds function flags to set
// while it is read.
func (p *parser) computedKey(owner uint8, mode, fn uint32) uint8 {
	if !p.push(frame{kind: kComputed, a: uint32(owner), pos: int32(mode | mComputed), e: p.e, fn: p.fn}) {
		return sFail
	}
	p.fn |= fn
	p.nextRegExp()
	p.e = 0
	return sOperand
}

func (p *parser) classAfterKey(mode uint32) uint8 {
	f := p.top()
	static := mode&mStatic != 0
	if static && mode&mPrototype != 0 {
		return sFail
	}
	if p.tok == tLParen {
		fn := fnKind(mode&mAsync != 0, mode&mGen != 0) | fnSuperProp
		if mode&mCtor != 0 && !static {
			if mode&(mGen|mAsync|mGet|mSet) != 0 || f.a&clsCtor != 0 {
				return sFail
			}
			f.a |= clsCtor
			if f.a&clsDerived != 0 {
				fn |= fnSuperCall
			}
		}
		pf := uint32(pfUnique)
		if mode&mGet != 0 {
			pf |= pfGetter
		}
		if mode&mSet != 0 {
			pf |= pfSetter
		}
		return p.funcParams(fn, sClassMember, pf)
	}
	if mode&(mGen|mAsync|mGet|mSet) != 0 || mode&mCtor != 0 {
		return sFail
	}
	if p.tok == tAssign {
		if !p.push(frame{kind: kFieldInit, fn: p.fn}) {
			return sFail
		}
		p.fn = fnStrict | fnClass | fnNoArgs | fnSuperProp | fnFunc | fnOctalQuirk
		p.nextRegExp()
		p.e = 0
		return sOperand
	}
	return p.fieldEnd()
}

func (p *parser) fieldEnd() uint8 {
	switch {
	case p.tok == tSemi:
		p.nextDiv()
	case p.tok == tRBrace || p.nl:
	default:
		return sFail
	}
	return sClassMember
}

// objProp starts an object literal property, or closes the literal.
func (p *parser) objProp() uint8 {
	f := p.top()
	switch p.tok {
	case tRBrace:
		return p.closeLiteral()
	case tEllipsis:
		f.a |= objSpread
		p.nextRegExp()
		p.e = 0
		return sOperand
	case tStar:
		p.nextDiv()
		return p.objKey(f, mGen)
	}
	mode := uint32(0)
	switch p.kwd() {
	case kwAsync, kwGet, kwSet:
		k := p.kw
		info, ok := p.identRef()
		start, end := p.start, p.end
		p.nextDiv()
		switch p.tok {
		case tLParen, tComma, tColon, tRBrace, tAssign:
			f.x = 0
			if ok {
				f.x = info | mShorthand<<16
				p.idStart, p.idEnd, p.idKw = start, end, k
			}
			return p.objAfterKey(0)
		}
		switch k {
		case kwAsync:
			if p.nl {
				return sFail
			}
			mode = mAsync
			if p.tok == tStar {
				mode |= mGen
				p.nextDiv()
			}
		case kwGet:
			mode = mGet
		case kwSet:
			mode = mSet
		}
	}
	return p.objKey(f, mode)
}

// objKey reads a property key.
func (p *parser) objKey(f *frame, mode uint32) uint8 {
	f.x = 0
	switch p.tok {
	case tIdent:
		if p.kw == kwProto {
			mode |= mProto
		}
		if p.flags&fEscaped != 0 && p.kw.reserved() {
			// Allowed as a key, but never as a shorthand.
		} else if info, ok := p.identRef(); ok {
			f.x = info | mShorthand<<16
		}
		p.idStart, p.idEnd, p.idKw = p.start, p.end, p.kw
	case tString:
		if string(p.src[p.start+1:p.end-1]) == "__proto__" {
			mode |= mProto
		}
	case tNum:
	case tLBrack:
		return p.computedKey(kObject, mode, 0)
	default:
		return sFail
	}
	p.nextDiv()
	return p.objAfterKey(mode)
}

func (p *parser) objAfterKey(mode uint32) uint8 {
	f := p.top()
	if p.tok == tLParen {
		pf := uint32(pfUnique)
		if mode&mGet != 0 {
			pf |= pfGetter
		}
		if mode&mSet != 0 {
			pf |= pfSetter
		}
		return p.funcParams(fnKind(mode&mAsync != 0, mode&mGen != 0)|fnSuperProp, sObjMethodEnd, pf)
	}
	if mode&(mGen|mAsync|mGet|mSet) != 0 {
		return sFail
	}
	shorthand := mode&mComputed == 0 && f.x&(mShorthand<<16) != 0
	switch p.tok {
	case tColon:
		if mode&mProto != 0 && mode&mComputed == 0 {
			if f.a&objProto != 0 {
				f.a |= cNeedPat
			}
			f.a |= objProto
		}
		f.a |= objValue
		p.nextRegExp()
		p.e = 0
		return sOperand
	case tComma, tRBrace:
		if !shorthand || f.a&cDeclPat != 0 && !p.declarePattern(f, p.idStart, p.idEnd) {
			return sFail
		}
		p.el = f.x & 0xFFFF
		foldElem(f, p.el, false)
		return p.objSep(f)
	case tAssign:
		if !shorthand || f.a&cDeclPat != 0 && !p.declarePattern(f, p.idStart, p.idEnd) {
			return sFail
		}
		f.a |= objInit | cNeedPat
		p.nextRegExp()
		p.e = 0
		return sOperand
	}
	return sFail
}

// objValueEnd runs when a property value, initializer or spread argument
// ends.
func (p *parser) objValueEnd(f *frame) uint8 {
	switch {
	case f.a&objValue != 0:
		foldElem(f, p.el, false)
	case f.a&objInit != 0:
		if p.el&oNeedPat != 0 {
			return sFail
		}
		foldElem(f, f.x&0xFFFF|oInit, false)
	case f.a&objSpread != 0:
		f.a |= cRest
		foldElem(f, p.el, true)
	default:
		return sFail
	}
	f.a &^= objValue | objInit | objSpread
	return p.objSep(f)
}

func (p *parser) objSep(f *frame) uint8 {
	switch p.tok {
	case tComma:
		if f.a&cAfterRest != 0 {
			f.a &^= cAssign | cBind | cAfterRest
		}
		p.nextDiv()
		return sObjProp
	case tRBrace:
		return p.closeLiteral()
	}
	return sFail
}

// Private name kinds (privDecl.kind).
const (
	privGet = 1 << iota
	privSet
	privOther
	privStatic
)

// privateDecl records the declaration of the current private name in the
// class whose declarations start at base, reporting false for a duplicate
// (a getter and a setter of the same placement may share a name).
func (p *parser) privateDecl(base int, mode uint32) bool {
	kind := uint8(privOther)
	switch {
	case mode&mGet != 0:
		kind = privGet
	case mode&mSet != 0:
		kind = privSet
	}
	if mode&mStatic != 0 {
		kind |= privStatic
	}
	name := p.src[p.start:p.end]
	for i := base; i < p.nPriv; i++ {
		d := &p.priv[i]
		if string(p.src[d.off:d.off+int32(d.n)]) != string(name) {
			continue
		}
		pair := d.kind|kind&^privStatic == privGet|privSet|d.kind&privStatic && d.kind&privStatic == kind&privStatic
		if !pair || d.kind&(privGet|privSet) == privGet|privSet {
			return false
		}
		d.kind |= kind
		return true
	}
	if p.nPriv == len(p.priv) || p.end-p.start > 0xFFFF {
		p.privOverflow = true
		return true
	}
	p.priv[p.nPriv] = privDecl{off: int32(p.start), n: uint16(p.end - p.start), kind: kind}
	p.nPriv++
	return true
}

// privateRef records a reference to the current private name.
func (p *parser) privateRef() {
	if p.nRef == len(p.refs) {
		return
	}
	p.refs[p.nRef] = struct{ off, n int32 }{int32(p.start), int32(p.end - p.start)}
	p.nRef++
}

// resolvePrivate runs at the end of a class whose declarations and
// references start at declBase and refBase: references to its names are
// resolved, the rest belong to an enclosing class, and are errors without
// one (then p.fn is the context around the class).
func (p *parser) resolvePrivate(declBase, refBase int) bool {
	w := refBase
	for i := refBase; i < p.nRef; i++ {
		r := p.refs[i]
		name := p.src[r.off : r.off+r.n]
		found := false
		for j := declBase; j < p.nPriv; j++ {
			d := p.priv[j]
			if string(p.src[d.off:d.off+int32(d.n)]) == string(name) {
				found = true
				break
			}
		}
		if !found {
			p.refs[w] = r
			w++
		}
	}
	p.nRef = w
	p.nPriv = declBase
	return p.fn&fnClass != 0 || w == refBase || p.privOverflow
}
