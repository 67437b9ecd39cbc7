package netguard_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vmtproject/vmt/netguard"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		ip      string
		refused bool
	}{
		{"127.0.0.1", true}, {"127.8.9.10", true}, {"::1", true},
		{"10.1.2.3", true}, {"172.16.0.1", true}, {"172.31.255.255", true}, {"192.168.1.1", true},
		{"100.64.0.1", true}, {"fc00::1", true}, {"fd12:3456::1", true},
		{"169.254.169.254", true}, {"169.254.1.1", true}, {"fe80::1", true},
		{"0.0.0.0", true}, {"::", true}, {"224.0.0.1", true}, {"ff02::1", true},
		{"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"93.184.216.34", false}, {"172.32.0.1", false}, {"8.8.8.8", false}, {"2606:4700::1111", false},
	} {
		err := netguard.Check(netip.MustParseAddr(tc.ip))
		if (err != nil) != tc.refused {
			t.Errorf("%s: %v, want refused %v", tc.ip, err, tc.refused)
		}
		if err != nil && !errors.Is(err, netguard.ErrRefused) {
			t.Errorf("%s: %v is not ErrRefused", tc.ip, err)
		}
	}
	if err := netguard.Check(netip.MustParseAddr("169.254.169.254")); err == nil || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("metadata address: %v", err)
	}
}

// The client refuses, when it dials, a receiver on 127.0.0.1 and a name
// that resolves to it; with allowPrivate it reaches both.
func TestClientDial(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, u := range []string{srv.URL, "http://localhost" + port} {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, u, nil)
		resp, err := netguard.Client(5*time.Second, false).Do(req)
		if err == nil {
			resp.Body.Close()
			t.Errorf("%s: reached, want refused", u)
		} else if !errors.Is(err, netguard.ErrRefused) {
			t.Errorf("%s: %v, want ErrRefused", u, err)
		}
		resp, err = netguard.Client(5*time.Second, true).Do(req)
		if err != nil {
			t.Errorf("%s with allowPrivate: %v", u, err)
			continue
		}
		resp.Body.Close()
	}
	if hits != 2 {
		t.Errorf("the receiver was called %d times, want 2 (only with allowPrivate)", hits)
	}
}
