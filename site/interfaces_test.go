package site_test

import (
	"golang.org/x/net/publicsuffix"

	"github.com/xorigin/xorigin/site"
)

// Compile-time assertions: x/net's list and a parsed list are both
// PublicSuffixLists.
var (
	_ site.PublicSuffixList = publicsuffix.List
	_ site.PublicSuffixList = (*site.List)(nil)
)
