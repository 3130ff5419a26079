package jsscript

import (
	"testing"

	"github.com/xorigin/xorigin/internal/cpuclock"
	"github.com/xorigin/xorigin/internal/jsscript/jsshapes"
)

var sinkTokens int

// divTok and divKw approximate the parser's choice of lexical goal from
// the previous token alone: after an operand, a '/' divides.
var divTok = func() (t [256]bool) {
	for _, k := range []tok{tNum, tString, tTemplate, tTemplateTail, tRegExp, tRParen, tRBrack, tRBrace} {
		t[k] = true
	}
	return t
}()

var divKw = func() (t [256]bool) {
	for _, k := range []kw{kwNone, kwThis, kwTrue, kwFalse, kwNull, kwSuper} {
		t[k] = true
	}
	return t
}()

// lexOnly runs the lexer over src as the parser drives it, one call a
// token, with the lexical goal guessed by divTok and divKw and no parsing,
// and returns the tokens read and the last token's kind. The braces open
// in each enclosing template substitution are counted, so that the '}'
// closing one resumes the template, as the parser has it.
func lexOnly(l *lexer, src []byte) (int, tok) {
	*l = lexer{src: src}
	var braces [64]int
	depth := 0 // open template substitutions (those past 64 uncounted)
	n := 0
	div := false
	for {
		if div {
			l.nextDiv()
		} else {
			l.nextRegExp()
		}
		t := l.tok
		if t == tIdent {
			div = divKw[l.kw]
			n++
			continue
		}
		if t <= tErr {
			return n, t
		}
		if t >= tLBrace && t <= tRBrace || t == tTemplateHead {
			if t == tTemplateHead {
				depth++
				if depth <= len(braces) {
					braces[depth-1] = 0
				}
			} else if depth > 0 && depth <= len(braces) {
				switch {
				case t == tLBrace:
					braces[depth-1]++
				case t == tRBrace && braces[depth-1] == 0:
					l.templateCont()
					if l.tok == tTemplateTail {
						depth--
					}
					t = l.tok
				case t == tRBrace:
					braces[depth-1]--
				}
			}
		}
		div = divTok[t]
		n++
	}
}

// BenchmarkLexer measures the lexer alone on the bodies BenchmarkORBScript
// runs: what Valid would cost with a parser that cost nothing, the bound
// on any parser built on this lexer.
//
//	JSSCRIPT_BENCH=$(testdata/corpus.sh --bench) go test -run - -bench Lexer ./internal/jsscript
func BenchmarkLexer(b *testing.B) {
	shapes := jsshapes.Real()
	if len(shapes) == 0 {
		shapes = append(shapes, jsshapes.Shape{Name: "synthetic-bundle", Src: jsshapes.Synthetic()})
	}
	shapes = append(shapes, jsshapes.Hostile()...)
	for _, s := range shapes {
		b.Run(s.Name, func(b *testing.B) {
			var l lexer
			n, last := lexOnly(&l, s.Src)
			if last != tEOF && Valid(s.Src) {
				// A valid script that the guessed goals cannot lex
				// would measure a prefix only.
				b.Fatalf("lexing stopped at token %d, byte %d, of a valid script", n, l.start)
			}
			b.SetBytes(int64(len(s.Src)))
			b.ReportAllocs()
			start := cpuclock.Now()
			for b.Loop() {
				sinkTokens, _ = lexOnly(&l, s.Src)
			}
			jsshapes.ReportCPU(b, start, len(s.Src))
			b.ReportMetric(float64(len(s.Src))/float64(max(n, 1)), "B/token")
		})
	}
}
