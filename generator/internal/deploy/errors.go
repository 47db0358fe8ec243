package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/otpress/otpress/generator/internal/config"
	"gocloud.dev/gcerrors"
)

// TargetError is a deploy that failed at the bucket, with what to do.
type TargetError struct {
	Target string
	Msg    string
	Hint   string
	Err    error
}

func (e *TargetError) Error() string { return e.Msg }
func (e *TargetError) Unwrap() error { return e.Err }

// Credentials says which environment variables each cloud's SDK reads.
var Credentials = map[string]string{
	"s3":     "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones), or AWS_PROFILE naming a profile in ~/.aws/credentials",
	"azblob": "AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_CLIENT_SECRET",
	"gs":     "GOOGLE_APPLICATION_CREDENTIALS naming a service account's key file, or a login made with gcloud auth application-default login",
}

// explain turns a failure at the bucket into a message naming the target
// and what to do; a cancelled deploy stays as it is.
func explain(t config.Target, doing string, err error) error {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	scheme := "file"
	if u, perr := url.Parse(t.URL); perr == nil {
		scheme = u.Scheme
	}
	creds := Credentials[scheme]
	again := " The next deploy uploads whatever this one did not."
	e := &TargetError{Target: t.Name, Err: err}
	text := err.Error()
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case gcerrors.Code(err) == gcerrors.PermissionDenied || strings.Contains(text, "StatusCode: 403") || strings.Contains(text, "AccessDenied"):
		e.Msg = fmt.Sprintf("deploy to %s: the bucket refused to let us %s (403, access denied)", t.Name, doing)
		e.Hint = "check the bucket's policy and that the credentials have the rights to list, read, write and delete objects in it"
		if creds != "" {
			e.Hint += "; the credentials come from " + creds
		}
		e.Hint += "." + again
	case creds != "" && (strings.Contains(text, "credential") || strings.Contains(text, "Credential") || strings.Contains(text, "InvalidAccessKeyId") ||
		strings.Contains(text, "SignatureDoesNotMatch") || strings.Contains(text, "StatusCode: 401")):
		e.Msg = fmt.Sprintf("deploy to %s: no usable credentials to %s", t.Name, doing)
		e.Hint = "set " + creds + " in the environment (never in site.toml)." + again
	case scheme == "file" && strings.Contains(text, "no such file or directory"):
		e.Msg = fmt.Sprintf("deploy to %s: the folder of %s does not exist", t.Name, t.URL)
		e.Hint = "make the folder first, or add ?create_dir=true to the url"
	case errors.As(err, &dns) || errors.As(err, &op) || strings.Contains(text, "connection refused") || strings.Contains(text, "no such host"):
		e.Msg = fmt.Sprintf("deploy to %s: cannot reach the bucket to %s", t.Name, doing)
		e.Hint = "check the network, and the address and endpoint in the target's url in site.toml (" + t.URL + ")." + again
	case gcerrors.Code(err) == gcerrors.NotFound:
		e.Msg = fmt.Sprintf("deploy to %s: the bucket of %s was not found", t.Name, t.URL)
		e.Hint = "check the bucket's name (and region) in the target's url in site.toml, or create the bucket first"
	default:
		e.Msg = fmt.Sprintf("deploy to %s: could not %s", t.Name, doing)
		e.Hint = "see the cause below; check the target's url in site.toml (" + t.URL + ")." + again
	}
	e.Msg += ": " + firstLine(text)
	return e
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
