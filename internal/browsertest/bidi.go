package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"golang.org/x/net/websocket"
)

// bidiConn is a WebDriver BiDi client over one websocket: commands with
// their replies matched by id, and events handed to one callback. It is
// the little the Firefox driver needs (firefox.go); golang.org/x/net,
// already in the module graph, brings the websocket.
type bidiConn struct {
	ws      *websocket.Conn
	wmu     sync.Mutex // one writer at a time
	next    atomic.Int64
	mu      sync.Mutex
	pending map[int64]chan bidiReply
	err     error // why the reader stopped
	done    chan struct{}
	onEvent func(method string, params json.RawMessage)
}

type bidiReply struct {
	result json.RawMessage
	err    error
}

// BiDiError is a BiDi command's error reply: its error code ("no such
// frame", "invalid argument", ...) and message.
type BiDiError struct {
	Command, Code, Message string
}

func (e *BiDiError) Error() string {
	return fmt.Sprintf("bidi %s: %s: %s", e.Command, e.Code, e.Message)
}

// errBiDiClosed is the error of a command whose connection is closed.
var errBiDiClosed = errors.New("browsertest: the BiDi connection is closed")

// bidiMessage is any message from the remote end: a command's success or
// error, or an event (the BiDi spec's message shapes).
type bidiMessage struct {
	Type    string          `json:"type"`
	ID      *int64          `json:"id"`
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
}

// dialBiDi connects to a BiDi websocket (ws://host:port/session). origin
// is the Origin header the handshake sends: Firefox refuses any origin its
// --remote-allow-origins does not list. onEvent runs on the reader
// goroutine and must return fast.
func dialBiDi(ctx context.Context, url, origin string, onEvent func(method string, params json.RawMessage)) (*bidiConn, error) {
	cfg, err := websocket.NewConfig(url, origin)
	if err != nil {
		return nil, fmt.Errorf("browsertest: bidi %s: %w", url, err)
	}
	ws, err := cfg.DialContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("browsertest: bidi: %w", err)
	}
	c := &bidiConn{ws: ws, pending: map[int64]chan bidiReply{}, done: make(chan struct{}), onEvent: onEvent}
	go c.read()
	return c, nil
}

func (c *bidiConn) read() {
	var err error
	for {
		var data []byte
		if err = websocket.Message.Receive(c.ws, &data); err != nil {
			break
		}
		var m bidiMessage
		if err := json.Unmarshal(data, &m); err != nil {
			continue // not a message of the protocol: nothing waits on it
		}
		switch {
		case m.Type == "event":
			if c.onEvent != nil {
				c.onEvent(m.Method, m.Params)
			}
		case m.ID != nil:
			c.mu.Lock()
			ch := c.pending[*m.ID]
			delete(c.pending, *m.ID)
			c.mu.Unlock()
			if ch == nil {
				continue
			}
			if m.Type == "error" {
				ch <- bidiReply{err: &BiDiError{Code: m.Error, Message: m.Message}}
			} else {
				ch <- bidiReply{result: m.Result}
			}
		}
	}
	c.mu.Lock()
	c.err = fmt.Errorf("%w: %v", errBiDiClosed, err)
	for id, ch := range c.pending {
		ch <- bidiReply{err: c.err}
		delete(c.pending, id)
	}
	c.mu.Unlock()
	close(c.done)
}

// call sends a command and waits for its reply, decoded into result (nil:
// dropped). A BiDi error reply is a *BiDiError.
func (c *bidiConn) call(ctx context.Context, method string, params, result any) error {
	if params == nil {
		params = struct{}{}
	}
	id := c.next.Add(1)
	msg, err := json.Marshal(struct {
		ID     int64  `json:"id"`
		Method string `json:"method"`
		Params any    `json:"params"`
	}{id, method, params})
	if err != nil {
		return fmt.Errorf("browsertest: bidi %s: %w", method, err)
	}
	ch := make(chan bidiReply, 1)
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return c.err
	}
	c.pending[id] = ch
	c.mu.Unlock()
	c.wmu.Lock()
	err = websocket.Message.Send(c.ws, string(msg))
	c.wmu.Unlock()
	if err != nil {
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("browsertest: bidi %s: %w", method, err)
	}
	select {
	case r := <-ch:
		if r.err != nil {
			if be, ok := r.err.(*BiDiError); ok {
				be.Command = method
			}
			return r.err
		}
		if result != nil {
			if err := json.Unmarshal(r.result, result); err != nil {
				return fmt.Errorf("browsertest: bidi %s: the reply: %w", method, err)
			}
		}
		return nil
	case <-ctx.Done():
		c.mu.Lock()
		delete(c.pending, id)
		c.mu.Unlock()
		return fmt.Errorf("browsertest: bidi %s: %w", method, ctx.Err())
	}
}

// close ends the connection; pending commands fail.
func (c *bidiConn) close() {
	c.ws.Close()
	<-c.done
}
