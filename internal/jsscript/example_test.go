package jsscript_test

import (
	"fmt"

	"github.com/xorigin/xorigin/internal/jsscript"
)

func ExampleValid() {
	for _, body := range []string{
		`jQuery(function ($) { $(".x").hide() })`,
		`{"ok": true}`,
		`<!DOCTYPE html><p>Not found</p>`,
		`await fetch(url)`, // a module, not a classic script
	} {
		fmt.Println(jsscript.Valid([]byte(body)))
	}
	// Output:
	// true
	// false
	// false
	// false
}
