package smtp_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	gosmtp "github.com/emersion/go-smtp"

	"github.com/vmtproject/vmt/smtp"
	"github.com/vmtproject/vmt/smtp/smtptest"
)

var env = smtp.Envelope{From: "vmt@example.org", To: []string{"security@distro.example"}}

func mail(id string) []byte {
	return []byte("From: vmt@example.org\r\nTo: security@distro.example\r\nSubject: notice\r\nMessage-Id: <" + id + ">\r\n\r\nBody line\r\n.leading dot\r\n")
}

func plain(s *smtptest.Server) smtp.Config {
	return smtp.Config{Addr: s.Addr, Security: smtp.Plain, Timeout: 5 * time.Second}
}

func TestDelivery(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	if err := smtp.Send(t.Context(), plain(s), env, mail("a@vmt")); err != nil {
		t.Fatal(err)
	}
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	m := msgs[0]
	if m.From != env.From || strings.Join(m.To, ",") != env.To[0] || string(m.Data) != string(mail("a@vmt")) {
		t.Errorf("received %s %v %q", m.From, m.To, m.Data)
	}
}

// One session delivers several messages, as for a notice to many.
func TestSessionSendsMany(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	sess, err := smtp.Dial(t.Context(), plain(s))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1@vmt", "2@vmt", "3@vmt"} {
		if err := sess.Send(t.Context(), env, mail(id)); err != nil {
			t.Fatal(err)
		}
	}
	if err := sess.Close(); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Messages()); n != 3 || s.Count([]byte("<2@vmt>")) != 1 {
		t.Fatalf("%d messages", n)
	}
}

func TestErrorsSayWhetherToRetry(t *testing.T) {
	tests := []struct {
		name      string
		fault     smtptest.Fault
		op        string
		code      int
		temporary bool
		refused   bool // the relay's answer to the message, not the connection's failure
	}{
		{"421 at MAIL", at(smtptest.AtMail, &gosmtp.SMTPError{Code: 421, Message: "try later"}), "mail from", 421, true, false},
		{"4xx at MAIL", at(smtptest.AtMail, &gosmtp.SMTPError{Code: 451, Message: "try later"}), "mail from", 451, true, true},
		{"4xx at RCPT", at(smtptest.AtRcpt, &gosmtp.SMTPError{Code: 451, EnhancedCode: gosmtp.EnhancedCode{4, 3, 0}, Message: "greylisted"}), "rcpt to <security@distro.example>", 451, true, true},
		{"421 at RCPT", at(smtptest.AtRcpt, &gosmtp.SMTPError{Code: 421, Message: "closing"}), "rcpt to <security@distro.example>", 421, true, false},
		{"5xx at RCPT", at(smtptest.AtRcpt, &gosmtp.SMTPError{Code: 550, EnhancedCode: gosmtp.EnhancedCode{5, 1, 1}, Message: "no such user"}), "rcpt to <security@distro.example>", 550, false, true},
		{"5xx at DATA", at(smtptest.AtData, &gosmtp.SMTPError{Code: 554, Message: "rejected"}), "data", 554, false, true},
		{"4xx at DATA", at(smtptest.AtData, &gosmtp.SMTPError{Code: 452, Message: "mailbox full"}), "data", 452, true, true},
		{"dropped mid-DATA", at(smtptest.AtData, smtptest.ErrDrop), "data", 0, true, false},
		{"dropped at MAIL", at(smtptest.AtMail, smtptest.ErrDrop), "mail from", 0, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.Start(t, smtptest.Options{})
			s.SetFault(tt.fault)
			err := smtp.Send(t.Context(), plain(s), env, mail("x@vmt"))
			var e *smtp.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *smtp.Error", err)
			}
			if e.Op != tt.op || e.Code != tt.code || e.Temporary != tt.temporary || smtp.IsTemporary(err) != tt.temporary {
				t.Errorf("error %v: op %q code %d temporary %v; want %q %d %v", err, e.Op, e.Code, e.Temporary, tt.op, tt.code, tt.temporary)
			}
			if smtp.IsRefused(err) != tt.refused {
				t.Errorf("error %v: refused %v, want %v", err, smtp.IsRefused(err), tt.refused)
			}
			if n := len(s.Messages()); n != 0 {
				t.Errorf("%d messages accepted", n)
			}
			// The fault passes: the same message goes through.
			s.SetFault(nil)
			if err := smtp.Send(t.Context(), plain(s), env, mail("x@vmt")); err != nil {
				t.Fatal(err)
			}
			if s.Count([]byte("<x@vmt>")) != 1 {
				t.Errorf("not delivered once after the fault")
			}
		})
	}
}

func at(stage smtptest.Stage, err error) smtptest.Fault {
	return func(st smtptest.Stage, _ string) error {
		if st == stage {
			return err
		}
		return nil
	}
}

// A refused recipient resets the transaction: nobody gets the message, so
// a retry cannot double it for the others.
func TestOneRefusedRecipientSendsToNone(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	s.SetFault(func(st smtptest.Stage, arg string) error {
		if st == smtptest.AtRcpt && arg == "gone@distro.example" {
			return &gosmtp.SMTPError{Code: 550, Message: "no such user"}
		}
		return nil
	})
	sess, err := smtp.Dial(t.Context(), plain(s))
	if err != nil {
		t.Fatal(err)
	}
	defer sess.Close()
	two := smtp.Envelope{From: env.From, To: []string{"a@distro.example", "gone@distro.example"}}
	if err := sess.Send(t.Context(), two, mail("y@vmt")); smtp.IsTemporary(err) || err == nil {
		t.Fatalf("error = %v, want a permanent one", err)
	}
	// The session goes on after the reset.
	if err := sess.Send(t.Context(), env, mail("z@vmt")); err != nil {
		t.Fatal(err)
	}
	if msgs := s.Messages(); len(msgs) != 1 || strings.Join(msgs[0].To, ",") != env.To[0] {
		t.Fatalf("messages %v", msgs)
	}
}

func TestConnectionRefusedIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	err = smtp.Send(t.Context(), smtp.Config{Addr: addr, Security: smtp.Plain}, env, mail("r@vmt"))
	if !smtp.IsTemporary(err) || !strings.Contains(err.Error(), "smtp dial "+addr) {
		t.Fatalf("error = %v", err)
	}
}

// A server that accepts the connection and never greets is given up on
// after the timeout, and that is temporary.
func TestSilentServerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		c, err := l.Accept()
		if err == nil {
			time.Sleep(3 * time.Second)
			c.Close()
		}
	}()
	start := time.Now()
	err = smtp.Send(t.Context(), smtp.Config{Addr: l.Addr().String(), Security: smtp.Plain, Timeout: 200 * time.Millisecond}, env, mail("t@vmt"))
	if !smtp.IsTemporary(err) || !strings.Contains(err.Error(), "greeting") || time.Since(start) > 2*time.Second {
		t.Fatalf("error = %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	err = smtp.Send(ctx, smtp.Config{Addr: l.Addr().String(), Security: smtp.Plain}, env, mail("t@vmt"))
	if !smtp.IsTemporary(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("cancelled: error = %v", err)
	}
}

func TestStartTLSAndAuth(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{TLS: true, Username: "vmt", Password: "s3cret"})
	cfg := smtp.Config{Addr: s.Addr, TLS: &tls.Config{RootCAs: s.RootCAs()}, Username: "vmt", Password: "s3cret", Timeout: 5 * time.Second}
	if err := smtp.Send(t.Context(), cfg, env, mail("tls@vmt")); err != nil {
		t.Fatal(err)
	}
	if s.Count([]byte("<tls@vmt>")) != 1 {
		t.Fatal("not delivered")
	}

	bad := cfg
	bad.Password = "wrong"
	err := smtp.Send(t.Context(), bad, env, mail("bad@vmt"))
	if e := new(smtp.Error); !errors.As(err, &e) || e.Op != "auth" || e.Code != 535 || e.Temporary {
		t.Errorf("wrong password: %v", err)
	}

	untrusted := cfg
	untrusted.TLS = nil // the system roots do not know the test certificate
	err = smtp.Send(t.Context(), untrusted, env, mail("u@vmt"))
	if smtp.IsTemporary(err) || !strings.Contains(err.Error(), "smtp starttls") || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("untrusted certificate: %v", err)
	}
	if len(s.Messages()) != 1 {
		t.Errorf("%d messages", len(s.Messages()))
	}
}

func TestRefusesToSendInClear(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{}) // no STARTTLS offered
	err := smtp.Send(t.Context(), smtp.Config{Addr: s.Addr}, env, mail("c@vmt"))
	if err == nil || smtp.IsTemporary(err) || !strings.Contains(err.Error(), "does not offer STARTTLS") {
		t.Fatalf("error = %v", err)
	}
	err = smtp.Send(t.Context(), smtp.Config{Addr: s.Addr, Security: smtp.Plain, Username: "u", Password: "p"}, env, mail("c@vmt"))
	if err == nil || !strings.Contains(err.Error(), "password in clear") {
		t.Fatalf("error = %v", err)
	}
	if len(s.Messages()) != 0 {
		t.Fatal("a message went out in clear")
	}
}

func TestBadInput(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	if err := (smtp.Config{Addr: "relay.example.org:587", Username: "u"}).Validate(); err != nil {
		t.Errorf("Validate of a good config: %v", err)
	}
	if err := (smtp.Config{Addr: "relay.example.org:25", Security: smtp.Plain, Username: "u"}).Validate(); err == nil || smtp.IsTemporary(err) {
		t.Errorf("Validate of AUTH in clear: %v", err)
	}
	for _, c := range []struct {
		cfg  smtp.Config
		env  smtp.Envelope
		want string
	}{
		{smtp.Config{Addr: "nohost"}, env, `smtp config: address "nohost" is not host:port`},
		{plain(s), smtp.Envelope{From: "vmt@example.org"}, "smtp envelope: no recipient"},
		{plain(s), smtp.Envelope{From: "x", To: env.To}, `sender "x" is not a mail address`},
		{plain(s), smtp.Envelope{From: env.From, To: []string{"a@b\r\nDATA"}}, "is not a mail address"},
	} {
		err := smtp.Send(t.Context(), c.cfg, c.env, mail("b@vmt"))
		if err == nil || smtp.IsTemporary(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error = %v, want %q", err, c.want)
		}
	}
}

// The reply to the end of DATA is lost: the relay has the mail, the client
// cannot know it. The error is temporary, and a retry makes a second copy
// with the same Message-ID, which is what lets readers and list software
// (and an outbox's receiving-side test) recognise it.
func TestLostReplyAfterData(t *testing.T) {
	s := smtptest.Start(t, smtptest.Options{})
	s.SetFault(at(smtptest.AtDataEnd, smtptest.ErrDrop))
	err := smtp.Send(t.Context(), plain(s), env, mail("lost@vmt"))
	var e *smtp.Error
	if !errors.As(err, &e) || e.Op != "data" || !e.Temporary {
		t.Fatalf("error = %v", err)
	}
	if s.Count([]byte("<lost@vmt>")) != 1 {
		t.Fatal("the relay does not have the mail")
	}
	s.SetFault(nil)
	if err := smtp.Send(t.Context(), plain(s), env, mail("lost@vmt")); err != nil {
		t.Fatal(err)
	}
	if s.Count([]byte("Message-Id: <lost@vmt>")) != 2 {
		t.Fatal("the retry did not arrive with the same Message-ID")
	}
}

// A relay that takes one mail per connection, and one that cuts the
// connection at MAIL FROM: the next Send on the session fails as the
// connection's (temporary, not refused), and a new session takes the
// same mail.
func TestConnectionProblemsAreNotRefusals(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts smtptest.Options
		code int
	}{
		{"one mail per connection", smtptest.Options{OneMailPerConn: true}, 421},
		{"cut at MAIL FROM", smtptest.Options{CutAtMail: 2}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := smtptest.Start(t, tt.opts)
			sess, err := smtp.Dial(t.Context(), plain(s))
			if err != nil {
				t.Fatal(err)
			}
			if err := sess.Send(t.Context(), env, mail("1@vmt")); err != nil {
				t.Fatal(err)
			}
			err = sess.Send(t.Context(), env, mail("2@vmt"))
			var e *smtp.Error
			if !errors.As(err, &e) || e.Op != "mail from" || e.Code != tt.code || !e.Temporary || smtp.IsRefused(err) {
				t.Fatalf("second mail on the connection: %v (%+v), want a temporary failure of the connection at MAIL FROM, code %d", err, e, tt.code)
			}
			sess.Close()
			if err := smtp.Send(t.Context(), plain(s), env, mail("2@vmt")); err != nil {
				t.Fatalf("the same mail on a new connection: %v", err)
			}
			if s.Count([]byte("<2@vmt>")) != 1 || s.Connections() != 2 {
				t.Errorf("%d copies over %d connections", s.Count([]byte("<2@vmt>")), s.Connections())
			}
		})
	}
}

// A relay that stops answering after the data, and one that stops
// reading in the middle of it: each is given up on after the timeout,
// as temporary. go-smtp's client bounds the reply to the final dot; the
// writes of the message are bounded by the session's connection.
func TestDataTimesOut(t *testing.T) {
	t.Run("no reply to the final dot", func(t *testing.T) {
		s := smtptest.Start(t, smtptest.Options{})
		s.SetFault(func(st smtptest.Stage, _ string) error {
			if st == smtptest.AtDataEnd {
				time.Sleep(3 * time.Second)
			}
			return nil
		})
		cfg := plain(s)
		cfg.Timeout = 300 * time.Millisecond
		start := time.Now()
		err := smtp.Send(t.Context(), cfg, env, mail("slow@vmt"))
		if e := new(smtp.Error); !errors.As(err, &e) || e.Op != "data" || !e.Temporary || e.Refused || time.Since(start) > 2*time.Second {
			t.Fatalf("error = %v after %v", err, time.Since(start))
		}
	})
	t.Run("the relay stops reading", func(t *testing.T) {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		stalled := make(chan struct{})
		defer close(stalled)
		go func() {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
			r := bufio.NewReader(c)
			c.Write([]byte("220 stalls\r\n"))
			for _, reply := range []string{"250 ok", "250 ok", "250 ok", "354 go on"} { // EHLO, MAIL, RCPT, DATA
				if _, err := r.ReadString('\n'); err != nil {
					return
				}
				c.Write([]byte(reply + "\r\n"))
			}
			<-stalled // and never reads the message
		}()
		big := append(mail("big@vmt"), bytes.Repeat([]byte("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde\r\n"), 1<<18)...)
		start := time.Now()
		// The context only keeps a failing test from hanging.
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		err = smtp.Send(ctx, smtp.Config{Addr: l.Addr().String(), Security: smtp.Plain, Timeout: 300 * time.Millisecond}, env, big)
		if e := new(smtp.Error); !errors.As(err, &e) || e.Op != "data" || !e.Temporary || errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Fatalf("error = %v after %v", err, time.Since(start))
		}
	})
}
