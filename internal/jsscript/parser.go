package jsscript

import "sync"

// MaxDepth is the most frames the explicit parse stack holds. A frame is
// pushed for each open bracket, block, function, pending if/else, label,
// loop body and the like, so MaxDepth bounds syntactic nesting. V8 (node 20,
// default stack) throws a RangeError near 1,700 nested parentheses or
// arrays and about 3,000 nested blocks; real bundles need well under 200.
// A script nested deeper than MaxDepth is reported invalid.
const MaxDepth = 1500

// maxNames bounds the parameter names compared for duplicates in one
// parameter list; later names go unchecked.
const maxNames = 128

// Valid reports whether src parses as an ECMAScript Script (the classic
// script goal), early errors included, as V8 would decide when compiling it.
// src must be UTF-8 with any byte order mark removed. Valid is safe for
// concurrent use, never modifies src, and returns false for a script nested
// deeper than MaxDepth.
func Valid(src []byte) (ok bool) {
	p := parserPool.Get().(*parser)
	defer func() {
		// Defence in depth: a bug that panics on some input must not
		// take the caller down. The answer is then "not a script", the
		// closed side for ORB, and the parser is dropped rather than
		// pooled. FuzzValid runs the parser without this net.
		if recover() != nil {
			ok = false
			return
		}
		p.lexer = lexer{}
		parserPool.Put(p)
	}()
	return p.run(src)
}

var parserPool = sync.Pool{New: func() any {
	return &parser{stack: new([MaxDepth]frame), limit: MaxDepth}
}}

// Function context flags (parser.fn).
const (
	fnStrict    = 1 << iota
	fnAsync     // await is an operator
	fnGen       // yield is an operator
	fnFunc      // inside a non-arrow function: return and new.target
	fnReturn    // return allowed
	fnSuperProp // super.x allowed
	fnSuperCall // super() allowed
	fnParams    // in a parameter list: no yield or await expressions
	fnNoArgs    // class field initializer or static block: no 'arguments'
	fnStatic    // class static block: await is reserved
	fnClass     // inside a class body: private names allowed
	// fnOctalQuirk: a class field initializer or computed key in a class
	// body, where V8 (node 20) lets legacy octal literals and escapes
	// through although class bodies are strict.
	fnOctalQuirk
)

// Operand flags (parser.o): what the operand just parsed can become.
const (
	oTarget       = 1 << iota // a simple assignment target (identifier, member)
	oCall                     // a call: V8 accepts it as a simple target, not in patterns
	oIdent                    // a bare IdentifierReference
	oBindName                 // oIdent, and a valid binding name here
	oAsync                    // the identifier async, unescaped
	oPattern                  // an unparenthesized literal valid as an assignment pattern
	oBindPat                  // an unparenthesized literal valid as a binding pattern
	oNeedPat                  // holds a CoverInitializedName or duplicate __proto__
	oInit                     // (element summary) the element has an initializer
	oLet                      // the identifier let
	oEvalArgs                 // eval or arguments
	oParenArrow               // a parenthesized list valid as arrow parameters
	oMustArrow                // a parenthesized list only arrow parameters allow
	oSimpleParams             // the arrow parameter list is simple
	oOptChain                 // part of an optional chain
	oEmpty                    // element summary: an elision
	oPrivate                  // a member access by private name
)

// Expression state flags (parser.e), one AssignmentExpression's worth.
const (
	eNoIn    = 1 << iota // the in operator ends the expression (for-in heads)
	eNotElem             // a binary, unary or other operator applied
	eUnary               // the current operand has a unary prefix
	eUpdate              // the current operand has a prefix ++ or --
	eDelete              // the current operand is a delete's
	eLogical             // && or || seen in this chain
	eNullish             // ?? seen in this chain
	eOfEnds              // the identifier of ends the expression (for-of head)
)

// Frame kinds.
const (
	kScript uint8 = iota
	kBlock
	kFuncBody // a function body; a: the parameter summary (pf flags)
	kSwitch   // a: sw flags
	kStatic   // class static block
	kIf       // pending then-statement
	kElse     //
	kLoop     // while/for/for-in body
	kWith     //
	kDo       // do body, then while (...)
	kLabel    // pos/n name the label, x its hash, a the previous label, ret 1 for a loop's
	kForHead  // a: fs state
	kClassBody

	// Kinds past kClassBody need nothing of push but a copy of the
	// loop counts.
	kTry        // a: try state
	kReturn     // return/throw argument
	kParenCond  // the ( ) of if/while/with/switch/do-while; a: which
	kDecl       // a declaration list; a: decl flags
	kParen      // ( ... ) in an expression
	kArray      // [ ... ]
	kObject     // { ... } literal; a: flags
	kArgs       // call arguments
	kIndex      // a[ ... ]
	kTemplate   // ${ ... } in a template; a: tagged
	kCond       // the then-part of a ? :
	kRightAssoc // the rest of an AssignmentExpression after =, :, yield, => (expression body)
	kNew        // a pending new
	kComputed   // [ ... ] property key; a: owner kind
	kParams     // function parameters; a: flags
	kClassHeritage
	kFieldInit  // a class field initializer
	kCatchParam //
	kCase       // case expression
)

// frame is one entry of the explicit parse stack.
type frame struct {
	kind uint8
	ret  uint8 // state to resume when the frame completes (some kinds)
	// loops and brk count the iteration statements, and those plus
	// switch statements, open at this frame in the current function:
	// break and continue without a label need one.
	loops, brk uint16
	a          uint32 // kind-specific flags
	e          uint32 // the enclosing AssignmentExpression's parser.e
	fn         uint32 // and the function context (kFuncBody, kRightAssoc arrows)
	x          uint32 // kind-specific: a first element's summary, a property key's info
	pos        int32  // kind-specific: a label's offset, a parameter count
	n          int32  // kind-specific: a label's length
}

type parser struct {
	lexer
	stack *[MaxDepth]frame
	sp    int    // frames in use: stack[:sp]
	tf    *frame // &stack[sp-1], the top frame, read several times a token
	limit int    // MaxDepth, or less in tests
	fn    uint32 // function context
	e     uint32 // expression state
	o     uint32 // operand info
	el    uint32 // element summary of the AssignmentExpression just ended

	// Private names: declarations of the open classes, and references
	// not yet resolved; bounded, and once a table overflows, unresolved
	// references are no longer errors.
	priv         [128]privDecl
	nPriv        int
	refs         [128]struct{ off, n int32 }
	nRef         int
	privOverflow bool

	// Declarations, for redeclaration errors (scope.go).
	decls        [maxDecls]decl
	nDecl        int
	declBuckets  [maxDecls]int16
	scope        int // stack index of the innermost scope frame
	declOverflow bool

	// lastAwaitID is where the identifier await was last used as one:
	// async arrow parameters may not.
	lastAwaitID int

	// lastAY is where the last await or yield expression of the current
	// function started: arrow parameters may hold neither.
	lastAY int

	// The last identifier operand, for parameter names.
	idStart, idEnd int
	idKw           kw
	names          [maxNames]struct{ off, n int32 }
	nName          int
	// nameHash indexes names: 1 + an index into names, or 0; nameGen
	// says which list the entries belong to (a stale entry is ignored).
	nameHash [2 * maxNames]struct{ i, gen uint16 }
	nameGen  uint16

	// labels is a hash table of the visible labels: each bucket holds 1 +
	// the stack index of the newest kLabel frame hashing there; a kLabel
	// frame's a links to the previous one. floor is the stack index of
	// the innermost function boundary: labels below it are not visible.
	labels [labelBuckets]int16
	floor  int
}

const labelBuckets = 256

type privDecl struct {
	off  int32
	n    uint16
	kind uint8
}

// isBoundary reports whether frames of kind start a new function (or class
// static block) for labels, break and continue.
func isBoundary(kind uint8) bool { return kind == kFuncBody || kind == kStatic || kind == kClassBody }

// Parser states.
const (
	sStmtList uint8 = iota
	sStmt
	sSubStmt
	sStmtDone
	sStmtEnd // expect ; or ASI
	sOperand
	sAfter
	sAssignEnd
	sDirective
	sObjProp
	sClassMember
	sParam
	sFuncParams // expecting ( of a function's parameters; fn prepared in p.o
	sFuncBody
	sAfterArrowBlock
	sObjMethodEnd
	sDone
	sFail
)

// push pushes f, reporting false when the stack is full; the kinds
// special handles take pushSpecial.
func (p *parser) push(f frame) bool {
	n := p.sp
	if n >= p.limit {
		return false
	}
	if f.kind <= kClassBody || f.kind == kCatchParam {
		return p.pushSpecial(f)
	}
	f.loops, f.brk = p.tf.loops, p.tf.brk
	t := &p.stack[n]
	*t = f
	p.sp = n + 1
	p.tf = t
	return true
}

func (p *parser) pushSpecial(f frame) bool {
	n := p.sp
	f.loops, f.brk = p.tf.loops, p.tf.brk
	p.special(&f, n)
	t := &p.stack[n]
	*t = f
	p.sp = n + 1
	p.tf = t
	return true
}

// special does push's work for the kinds that change loop counts, labels
// or the function boundary; f is to be pushed at index n.
func (p *parser) special(f *frame, n int) {
	switch f.kind {
	case kLoop, kDo:
		f.loops++
		f.brk++
		p.markLoopLabels()
	case kSwitch:
		f.brk++
	case kForHead:
		p.markLoopLabels()
	case kFuncBody, kStatic, kClassBody:
		f.loops, f.brk = 0, 0
		f.x = uint32(p.floor)
		p.floor = n
	}
	switch f.kind {
	case kBlock, kSwitch, kForHead, kLoop, kCatchParam:
		p.openScope(f, n)
	case kFuncBody, kStatic:
		// pos is the function's own (lastAY); the enclosing scope's
		// index rides in x beside the floor.
		f.x |= uint32(p.scope) << 16
		f.n = int32(p.nDecl)
		p.scope = n
	}
}

// markLoopLabels marks the labels directly labelling the iteration
// statement about to be pushed: continue may name them.
func (p *parser) markLoopLabels() {
	for i := p.sp - 1; i >= 0 && p.stack[i].kind == kLabel; i-- {
		p.stack[i].ret = 1
	}
}

func (p *parser) top() *frame { return p.tf }

// kindBit returns a bit for frame kind k (all kinds are below 32), so that
// a set of kinds is tested with one branch rather than a chain of them.
func kindBit(k uint8) uint32 { return 1 << (k & 31) }

// pop pops the top frame and returns it; the pointer stays valid until
// the next push (not copying the frame keeps pop cheap).
func (p *parser) pop() *frame {
	f := p.tf
	p.sp--
	p.tf = &p.stack[max(p.sp-1, 0)]
	switch f.kind {
	case kFuncBody, kStatic:
		p.floor = int(f.x & 0xFFFF)
		p.closeScope(f, int(f.x>>16), true)
	case kClassBody:
		p.floor = int(f.x & 0xFFFF)
	case kBlock, kSwitch, kLoop:
		p.closeScope(f, int(f.pos), false)
	case kLabel:
		p.labels[f.x%labelBuckets] = int16(f.a)
	}
	return f
}

// labelHash hashes a label name.
func labelHash(b []byte) uint32 {
	h := uint32(2166136261)
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return h
}

// findLabel returns the stack index of the visible label named name, or -1.
func (p *parser) findLabel(name []byte, h uint32) int {
	for i := int(p.labels[h%labelBuckets]) - 1; i >= p.floor; {
		g := &p.stack[i]
		if g.x == h && string(p.src[g.pos:g.pos+g.n]) == string(name) {
			return i
		}
		i = int(g.a) - 1
	}
	return -1
}

// pushLabel pushes a kLabel frame for the label src[start:end].
func (p *parser) pushLabel(start, end int) bool {
	name := p.src[start:end]
	h := labelHash(name)
	if p.findLabel(name, h) >= 0 {
		return false
	}
	n := p.sp
	if !p.push(frame{kind: kLabel, pos: int32(start), n: int32(end - start), x: h, a: uint32(p.labels[h%labelBuckets])}) {
		return false
	}
	p.labels[h%labelBuckets] = int16(n + 1)
	return true
}

// addName records a parameter name, reporting whether the current list
// already had it. Past maxNames names, names go unrecorded.
func (p *parser) addName(start, end int) bool {
	name := p.src[start:end]
	h := labelHash(name) % (2 * maxNames)
	for {
		e := p.nameHash[h]
		if e.gen != p.nameGen || e.i == 0 {
			break
		}
		nm := p.names[e.i-1]
		if string(p.src[nm.off:nm.off+nm.n]) == string(name) {
			return true
		}
		h = (h + 1) % (2 * maxNames)
	}
	if p.nName < maxNames {
		p.names[p.nName] = struct{ off, n int32 }{int32(start), int32(end - start)}
		p.nName++
		p.nameHash[h] = struct{ i, gen uint16 }{uint16(p.nName), p.nameGen}
	}
	return false
}

// resetNames starts a new parameter list.
func (p *parser) resetNames() {
	p.nName = 0
	p.nameGen++
	if p.nameGen == 0 {
		p.nameHash = [2 * maxNames]struct{ i, gen uint16 }{}
		p.nameGen = 1
	}
}

func (p *parser) strict() bool { return p.fn&fnStrict != 0 }

func (p *parser) run(src []byte) bool {
	p.lexer = lexer{src: src}
	p.fn, p.e, p.o, p.el, p.floor, p.lastAY, p.lastAwaitID = 0, 0, 0, 0, 0, -1, -1
	p.nPriv, p.nRef, p.privOverflow = 0, 0, false
	p.nDecl, p.scope, p.declOverflow = 0, 0, false
	p.idStart, p.idEnd, p.idKw = 0, 0, kwNone
	p.declBuckets = [maxDecls]int16{}
	p.labels = [labelBuckets]int16{}
	p.resetNames()
	p.stack[0] = frame{kind: kScript}
	p.sp, p.tf = 1, &p.stack[0]
	p.nextRegExp()
	st := sDirective
	for p.tok != tErr {
		switch st {
		case sOperand:
			st = p.operand()
		case sAfter:
			st = p.after()
		case sStmtList:
			st = p.stmtList()
		case sStmt:
			st = p.statement(false)
		case sStmtDone:
			st = p.stmtDone()
		case sStmtEnd:
			st = p.stmtEnd()
		case sDone:
			return true
		case sFail:
			return false
		default:
			st = p.step(st)
		}
	}
	return false
}

// open pushes a frame of a kind push need not special-case, holding
// kind, e and a, and returns it, or nil when the stack is full. It is
// small enough to inline, so the frame is written in place.
func (p *parser) open(kind uint8, e, a uint32) *frame {
	n := p.sp
	if n >= p.limit {
		return nil
	}
	t := &p.stack[n]
	*t = frame{kind: kind, e: e, a: a, loops: p.tf.loops, brk: p.tf.brk}
	p.sp = n + 1
	p.tf = t
	return t
}

// drop pops the top frame, of a kind pop need not special-case (any kind
// open pushes), and returns it, valid until the next push. It inlines.
func (p *parser) drop() *frame {
	f := p.tf
	p.sp--
	// The script's frame, stack[0], is never dropped: sp stays at
	// least 1, so pop's clamp is not needed here.
	p.tf = &p.stack[p.sp-1]
	return f
}
