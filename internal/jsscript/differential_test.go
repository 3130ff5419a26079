package jsscript_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/xorigin/xorigin/internal/jsscript"
)

// The differential test compares Valid with V8 (node's vm.Script) over
// testdata/inputs.jsonl.gz, inputs we wrote or generated (see
// gen_inputs_test.go), using the answers V8 gave when they were recorded
// (testdata/v8_answers.jsonl.gz, keyed by the SHA-256 of the source). With
// node on PATH it also asks V8 live. With JSSCRIPT_CORPUS naming a directory
// (testdata/corpus.sh fills one with npm packages and Debian's .js files)
// it also walks every .js and .cjs file there, asking V8 live.

type answer struct {
	SHA256 string `json:"sha256"`
	OK     bool   `json:"ok"`
	Error  string `json:"error"`
}

func sum(src []byte) string {
	h := sha256.Sum256(src)
	return hex.EncodeToString(h[:])
}

func readInputs(t testing.TB, name string) [][]byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<28)
	for sc.Scan() {
		var s string
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, []byte(s))
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func readAnswers(t testing.TB, name string) map[string]answer {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]answer{}
	dec := json.NewDecoder(zr)
	dec.DisallowUnknownFields()
	for dec.More() {
		var a answer
		if err := dec.Decode(&a); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m[a.SHA256] = a
	}
	return m
}

// askV8 runs testdata/v8oracle.js over srcs, in as few node processes as
// it can. Node 20 aborts (an assertion in node::GetErrorSource) while
// decorating the SyntaxError of some inputs whose error position spans odd
// line terminators; the compile had already failed, so such an input is
// answered "not OK" with error "SyntaxError (node aborted)", and the run
// resumes after it.
func askV8(t testing.TB, srcs [][]byte) []answer {
	t.Helper()
	var answers []answer
	for len(answers) < len(srcs) {
		rest := srcs[len(answers):]
		var in bytes.Buffer
		for _, s := range rest {
			b, err := json.Marshal(string(s))
			if err != nil {
				t.Fatal(err)
			}
			in.Write(b)
			in.WriteByte('\n')
		}
		cmd := exec.Command("node", filepath.Join("testdata", "v8oracle.js"))
		cmd.Stdin = &in
		out, err := cmd.Output()
		dec := json.NewDecoder(bytes.NewReader(out))
		got := 0
		for dec.More() {
			var a answer
			if dec.Decode(&a) != nil {
				break
			}
			answers = append(answers, a)
			got++
		}
		if err == nil {
			if got != len(rest) {
				t.Fatalf("node answered %d of %d inputs", got, len(rest))
			}
			break
		}
		if len(answers) < len(srcs) {
			src := srcs[len(answers)]
			answers = append(answers, answer{SHA256: sum(src), OK: false, Error: "SyntaxError (node aborted)"})
		}
	}
	return answers
}

// knownDifferences lists inputs, by hash, where Valid and V8 disagree for a
// reason README.md explains.
func knownDifferences(t testing.TB) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "known_differences.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		hash, why, _ := strings.Cut(line, " ")
		m[hash] = why
	}
	return m
}

func snippet(src []byte) string {
	if len(src) > 160 {
		src = src[:160]
	}
	return strings.ReplaceAll(string(src), "\n", "⏎")
}

func TestV8Recorded(t *testing.T) {
	t.Parallel()
	inputs := readInputs(t, filepath.Join("testdata", "inputs.jsonl.gz"))
	answers := readAnswers(t, filepath.Join("testdata", "v8_answers.jsonl.gz"))
	known := knownDifferences(t)
	agree, differ := 0, 0
	for _, src := range inputs {
		h := sum(src)
		a, ok := answers[h]
		if !ok {
			t.Fatalf("no recorded V8 answer for %s %q", h, snippet(src))
		}
		if jsscript.Valid(src) == a.OK {
			agree++
			continue
		}
		differ++
		if why, ok := known[h]; ok {
			t.Logf("known difference %s (%s): V8 %v: %q", h[:12], why, a.OK, snippet(src))
			continue
		}
		t.Errorf("V8 says %v (%s), Valid says %v: %s %q", a.OK, a.Error, !a.OK, h, snippet(src))
	}
	t.Logf("%d inputs: %d agree, %d differ (%.3f%% agreement)", len(inputs), agree, differ, 100*float64(agree)/float64(len(inputs)))
}

func TestV8Live(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not on PATH")
	}
	inputs := readInputs(t, filepath.Join("testdata", "inputs.jsonl.gz"))
	recorded := readAnswers(t, filepath.Join("testdata", "v8_answers.jsonl.gz"))
	for i, a := range askV8(t, inputs) {
		if r, ok := recorded[a.SHA256]; ok && r.OK != a.OK {
			t.Errorf("live V8 says %v, recorded %v: %q", a.OK, r.OK, snippet(inputs[i]))
		}
	}
}

func walkJS(dir string, names *[]string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".js") || strings.HasSuffix(path, ".cjs")) {
			return nil
		}
		// Debian links files and directories under names ending in .js.
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			*names = append(*names, path)
		}
		return nil
	})
}

// TestV8Corpus walks $JSSCRIPT_CORPUS (see testdata/corpus.sh).
func TestV8Corpus(t *testing.T) {
	dir := os.Getenv("JSSCRIPT_CORPUS")
	if dir == "" {
		t.Skip("JSSCRIPT_CORPUS not set")
	}
	var names []string
	for _, dir := range filepath.SplitList(dir) {
		if err := walkJS(dir, &names); err != nil {
			t.Fatal(err)
		}
	}
	sort.Strings(names)
	// Each distinct content once (links and vendored copies repeat files).
	var srcs [][]byte
	seen := map[string]bool{}
	unique := names[:0]
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
		if h := sum(b); !seen[h] {
			seen[h] = true
			srcs = append(srcs, b)
			unique = append(unique, n)
		}
	}
	names = unique
	answers := askV8(t, srcs)
	agree, valid := 0, 0
	deepest, deepestName := 0, ""
	for i, src := range srcs {
		a := answers[i]
		if a.OK {
			valid++
			if d := jsscript.Depth(src); d > deepest {
				deepest, deepestName = d, names[i]
			}
		}
		if jsscript.Valid(src) == a.OK {
			agree++
			continue
		}
		t.Logf("DIFF V8 %v (%s) %s %s %q", a.OK, a.Error, a.SHA256[:12], names[i], snippet(src))
	}
	t.Logf("%d files (%d valid per V8): %d agree (%.3f%%)", len(srcs), valid, agree, 100*float64(agree)/float64(len(srcs)))
	t.Logf("deepest accepted file needs %d of MaxDepth %d frames: %s", deepest, jsscript.MaxDepth, deepestName)
	if n, _ := strconv.Atoi(os.Getenv("JSSCRIPT_CORPUS_MUTANTS")); n > 0 {
		corpusMutants(t, names, srcs, n)
	}
	if out := os.Getenv("JSSCRIPT_CORPUS_ANSWERS"); out != "" {
		var buf bytes.Buffer
		for _, a := range answers {
			b, _ := json.Marshal(a)
			buf.Write(b)
			buf.WriteByte('\n')
		}
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// corpusMutants asks V8 and Valid about n mutants (1 to 3 of the mutations
// TestRegenerateInputs uses, seeded) of each corpus file under 256 KiB.
func corpusMutants(t *testing.T, names []string, srcs [][]byte, n int) {
	r := rand.New(rand.NewPCG(1755, 17))
	var muts [][]byte
	var from []string
	for i, src := range srcs {
		if len(src) > 256<<10 {
			continue
		}
		for k := 0; k < n; k++ {
			m := src
			for j := 1 + r.IntN(3); j > 0; j-- {
				m = mutate(r, m)
			}
			muts = append(muts, m)
			from = append(from, names[i])
		}
	}
	answers := askV8(t, muts)
	agree := 0
	for i, m := range muts {
		if jsscript.Valid(m) == answers[i].OK {
			agree++
			continue
		}
		t.Logf("MUTANT DIFF V8 %v (%s) %s of %s", answers[i].OK, answers[i].Error, answers[i].SHA256[:12], from[i])
		if dir := os.Getenv("JSSCRIPT_CORPUS_DIFFS"); dir != "" {
			os.WriteFile(filepath.Join(dir, answers[i].SHA256[:12]+".js"), m, 0o644)
		}
	}
	t.Logf("%d mutants: %d agree (%.3f%%)", len(muts), agree, 100*float64(agree)/float64(len(muts)))
}
