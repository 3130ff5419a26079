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
const maxNames = 256

// Valid reports whether src parses as an ECMAScript Script (the classic
// script goal), early errors included, as V8 would decide when compiling it.
// src must be UTF-8 with any byte order mark removed. Valid is safe for
// concurrent use, never modifies src, and returns false for a script nested
// deeper than MaxDepth.
func Valid(src []byte) bool {
	p := parserPool.Get().(*parser)
	ok := p.run(src)
	p.lexer = lexer{}
	parserPool.Put(p)
	return ok
}

var parserPool = sync.Pool{New: func() any {
	return &parser{stack: make([]frame, 0, MaxDepth)}
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
	eInit                // an = followed the first operand: p.lhs holds it
	eOfEnds              // the identifier of ends the expression (for-of head)
)

// Frame kinds.
const (
	kScript uint8 = iota
	kBlock
	kFuncBody   // a function body; a.flags are the param summary, e the caller's fn
	kSwitch     // a.flags: default seen
	kStatic     // class static block
	kIf         // pending then-statement
	kElse       //
	kLoop       // while/for/for-in body
	kWith       //
	kDo         // do body, then while (...)
	kLabel      // pos/len name the label
	kTry        // a: 0 after try block, 1 after catch, 2 after finally
	kExprStmt   // an expression statement
	kReturn     // return/throw argument
	kParenCond  // the ( ) of if/while/with/switch; a: which
	kDoCond     // do-while's condition
	kDecl       // a declaration list; a: declKind flags
	kForHead    // a: forState
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
	kObjValue   // a property value or initializer in an object literal
	kParams     // function parameters; a: flags
	kClassHeritage
	kClassBody  // a: flags
	kFieldInit  // a class field initializer
	kCatchParam //
	kSpread     // ... in array or arguments
	kSwitchDisc //
	kCase       // case expression
)

// frame is one entry of the explicit parse stack.
type frame struct {
	kind uint8
	ret  uint8  // state to resume when the frame completes (some kinds)
	a    uint32 // kind-specific flags
	e    uint32 // the enclosing AssignmentExpression's parser.e
	lhs  uint32 // and its parser.lhs
	fn   uint32 // and the function context (kFuncBody, kRightAssoc arrows)
	x    uint32 // kind-specific: a first element's summary, a property key's info
	pos  int32  // kind-specific: a label's offset, a parameter count
	n    int32  // kind-specific: a label's length
}

type parser struct {
	lexer
	stack []frame
	fn    uint32 // function context
	e     uint32 // expression state
	o     uint32 // operand info
	lhs   uint32 // operand info of an assignment's left-hand side
	el    uint32 // element summary of the AssignmentExpression just ended

	// The last identifier operand, for parameter names.
	idStart, idEnd int
	idKw           kw
	names          [maxNames]struct{ off, n int32 }
	nName          int
}

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

func (p *parser) push(f frame) bool {
	if len(p.stack) == MaxDepth {
		return false
	}
	p.stack = append(p.stack, f)
	return true
}

func (p *parser) top() *frame { return &p.stack[len(p.stack)-1] }

func (p *parser) pop() frame {
	f := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	return f
}

func (p *parser) strict() bool { return p.fn&fnStrict != 0 }

func (p *parser) run(src []byte) bool {
	p.lexer = lexer{src: src}
	p.stack = p.stack[:0]
	p.fn, p.e, p.o, p.lhs, p.el, p.nName = 0, 0, 0, 0, 0, 0
	p.push(frame{kind: kScript})
	p.next(true)
	st := sDirective
	for {
		switch st {
		case sDone:
			return true
		case sFail:
			return false
		}
		if p.tok == tErr {
			return false
		}
		st = p.step(st)
	}
}
