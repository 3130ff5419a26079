package enforce

import (
	"context"
	"runtime"
	"sync/atomic"

	"github.com/xorigin/xorigin/fetchctx"
)

// parseLimiter bounds how many whole-body decisions (ORB's parse of a body
// as JavaScript, the one step whose memory grows with the body: see the
// README's Security section) a Transport runs at once. It is a counting
// semaphore; a waiter gives up when its request's context ends.
type parseLimiter struct {
	slots chan struct{}
	// active and peak count holders, for tests: peak is the most that
	// ever held a slot at once.
	active, peak atomic.Int32
}

// newParseLimiter returns a limiter of n slots; n <= 0 means
// runtime.GOMAXPROCS(0), as many as can parse at once anyway.
func newParseLimiter(n int) *parseLimiter {
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	return &parseLimiter{slots: make(chan struct{}, n)}
}

// acquire waits for a slot, or for ctx to end, whose error it then
// returns (and holds no slot).
func (l *parseLimiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	n := l.active.Add(1)
	for p := l.peak.Load(); n > p && !l.peak.CompareAndSwap(p, n); p = l.peak.Load() {
	}
	return nil
}

// release gives back a slot acquire took.
func (l *parseLimiter) release() {
	l.active.Add(-1)
	<-l.slots
}

// checkWholeBody is CheckHop on a hop whose whole body the decision needs,
// in one of the Transport's script-parse slots; it returns ctx's error,
// and no verdict, if ctx ends first.
func (t *Transport) checkWholeBody(ctx context.Context, req *fetchctx.Request, i int, hop *Response, reports []Report) (Verdict, []Report, error) {
	if err := t.scriptParses.acquire(ctx); err != nil {
		return Verdict{}, reports, err
	}
	defer t.scriptParses.release()
	v, reports := t.engine.CheckHop(req, i, hop, reports)
	return v, reports, nil
}
