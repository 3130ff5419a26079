package jsscript

import "testing"

// TestLiteralFlags checks the bit layout closeLiteral's shifts rely on.
func TestLiteralFlags(t *testing.T) {
	if cAssign<<litShift != oPattern || cBind<<litShift != oBindPat || cNeedPat<<(litShift-1) != oNeedPat {
		t.Fatalf("literal flags moved: cAssign %#x cBind %#x cNeedPat %#x; oPattern %#x oBindPat %#x oNeedPat %#x",
			cAssign, cBind, cNeedPat, oPattern, oBindPat, oNeedPat)
	}
}
