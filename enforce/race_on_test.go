//go:build race

package enforce_test

// raceEnabled: the race detector is on, and the largest bodies are cut to
// a size it runs in reasonable time (.ci/run runs them whole without it).
const raceEnabled = true
