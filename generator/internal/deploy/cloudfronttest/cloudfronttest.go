// Package cloudfronttest is a CloudFront in the test: an HTTP server that
// answers CreateInvalidation as CloudFront's REST-XML API does, for the
// deploy's tests and the command's scripts. No network is used.
package cloudfronttest

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
)

// Distribution is the one distribution the server knows.
const Distribution = "E2EXAMPLE1ABCD"

// Keys the server tells apart: Key is let in, DeniedKey is a valid key
// without the right to invalidate (403 AccessDenied), and any other is
// unknown (403 InvalidClientTokenId).
const (
	Key       = "TESTKEY"
	DeniedKey = "DENIEDKEY"
)

// Call is one invalidation the server was asked for.
type Call struct {
	Distribution    string
	CallerReference string
	Paths           []string
	Region          string // of the request's signature
}

// Server is a fake CloudFront.
type Server struct {
	URL string
	// Log, when set, names a file each call's paths are appended to, one
	// line each: "E2EXAMPLE1ABCD /a /b".
	Log string

	mu    sync.Mutex
	calls []Call
	fail  string // an error code every request gets, for tests
	next  int
	srv   *httptest.Server
}

// New starts a server; Close stops it.
func New() *Server {
	s := &Server{}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Env is the environment that points the AWS SDK at the server, with the
// key it lets in, no region (CloudFront's is us-east-1), and nothing read
// from the machine's own AWS settings.
func (s *Server) Env() map[string]string {
	return map[string]string{
		"AWS_ENDPOINT_URL_CLOUDFRONT":            s.URL,
		"AWS_ENDPOINT_URL":                       "",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS":    "",
		"AWS_ACCESS_KEY_ID":                      Key,
		"AWS_SECRET_ACCESS_KEY":                  "TESTSECRET",
		"AWS_SESSION_TOKEN":                      "",
		"AWS_PROFILE":                            "",
		"AWS_REGION":                             "",
		"AWS_DEFAULT_REGION":                     "",
		"AWS_CONFIG_FILE":                        os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE":            os.DevNull,
		"AWS_EC2_METADATA_DISABLED":              "true",
		"AWS_CONTAINER_CREDENTIALS_FULL_URI":     "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "",
		"AWS_WEB_IDENTITY_TOKEN_FILE":            "",
		"AWS_MAX_ATTEMPTS":                       "1",
	}
}

// Fail makes every request answer with the error code given (AccessDenied,
// NoSuchDistribution, TooManyInvalidationsInProgress…); "" ends it.
func (s *Server) Fail(code string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = code
}

// Calls are the invalidations created so far.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

var (
	route = regexp.MustCompile(`^/2020-05-31/distribution/([^/]+)/invalidation$`)
	scope = regexp.MustCompile(`Credential=([^/]+)/\d{8}/([^/]+)/cloudfront/aws4_request`)
)

// statuses are the HTTP statuses CloudFront gives its errors.
var statuses = map[string]int{
	"AccessDenied":                   http.StatusForbidden,
	"InvalidClientTokenId":           http.StatusForbidden,
	"MissingAuthenticationToken":     http.StatusForbidden,
	"NoSuchDistribution":             http.StatusNotFound,
	"TooManyInvalidationsInProgress": http.StatusBadRequest,
	"InvalidArgument":                http.StatusBadRequest,
	"InconsistentQuantities":         http.StatusBadRequest,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	m := route.FindStringSubmatch(r.URL.Path)
	if r.Method != http.MethodPost || m == nil {
		s.error(w, "InvalidArgument", "the fake knows only POST /2020-05-31/distribution/{Id}/invalidation, not "+r.Method+" "+r.URL.Path)
		return
	}
	cred := scope.FindStringSubmatch(r.Header.Get("Authorization"))
	s.mu.Lock()
	fail := s.fail
	s.mu.Unlock()
	switch {
	case cred == nil:
		s.error(w, "MissingAuthenticationToken", "Request is missing Authentication Token")
		return
	case cred[1] == DeniedKey:
		s.error(w, "AccessDenied", "User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: cloudfront:CreateInvalidation on resource: arn:aws:cloudfront::123456789012:distribution/"+m[1])
		return
	case cred[1] != Key:
		s.error(w, "InvalidClientTokenId", "The security token included in the request is invalid.")
		return
	case m[1] != Distribution:
		s.error(w, "NoSuchDistribution", "The specified distribution does not exist.")
		return
	case fail != "":
		s.error(w, fail, "the test asked for "+fail)
		return
	}
	var batch struct {
		XMLName         xml.Name `xml:"InvalidationBatch"`
		CallerReference string   `xml:"CallerReference"`
		Quantity        int      `xml:"Paths>Quantity"`
		Items           []string `xml:"Paths>Items>Path"`
	}
	if err := xml.NewDecoder(r.Body).Decode(&batch); err != nil || batch.CallerReference == "" {
		s.error(w, "MalformedInput", fmt.Sprintf("the invalidation batch is not what CloudFront reads (%v)", err))
		return
	}
	if batch.Quantity != len(batch.Items) || batch.Quantity == 0 {
		s.error(w, "InconsistentQuantities", fmt.Sprintf("Quantity is %d for %d paths", batch.Quantity, len(batch.Items)))
		return
	}
	s.mu.Lock()
	s.next++
	id := fmt.Sprintf("I2EXAMPLE%05d", s.next)
	s.calls = append(s.calls, Call{m[1], batch.CallerReference, batch.Items, cred[2]})
	if s.Log != "" {
		if f, err := os.OpenFile(s.Log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			fmt.Fprintln(f, m[1], strings.Join(batch.Items, " "))
			f.Close()
		}
	}
	s.mu.Unlock()
	var items strings.Builder
	for _, p := range batch.Items {
		items.WriteString("<Path>")
		xml.EscapeText(&items, []byte(p))
		items.WriteString("</Path>")
	}
	var ref strings.Builder
	xml.EscapeText(&ref, []byte(batch.CallerReference))
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Location", s.URL+"/2020-05-31/distribution/"+m[1]+"/invalidation/"+id)
	w.WriteHeader(http.StatusCreated)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<Invalidation xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Id>%s</Id><Status>InProgress</Status><CreateTime>2026-01-01T12:00:00.000Z</CreateTime><InvalidationBatch><Paths><Quantity>%d</Quantity><Items>%s</Items></Paths><CallerReference>%s</CallerReference></InvalidationBatch></Invalidation>`,
		id, len(batch.Items), items.String(), ref.String())
}

// error answers as CloudFront does, with an ErrorResponse.
func (s *Server) error(w http.ResponseWriter, code, msg string) {
	status, ok := statuses[code]
	if !ok {
		status = http.StatusBadRequest
	}
	var text strings.Builder
	xml.EscapeText(&text, []byte(msg))
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<?xml version="1.0"?>
<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>b7a2c1d0-test</RequestId></ErrorResponse>`,
		code, text.String())
}
