package deploy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/otpress/otpress/generator/internal/config"
	"gocloud.dev/gcerrors"
)

// TargetError is a deploy that failed at the bucket or at its CDN, with
// what to do.
type TargetError struct {
	Target string
	// Distribution is set when the CDN failed, after the bucket took
	// every change.
	Distribution string
	Msg          string
	Hint         string
	Err          error
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
	case gcerrors.Code(err) == gcerrors.PermissionDenied || strings.Contains(text, "StatusCode: 403") || strings.Contains(text, "AccessDenied") ||
		(strings.Contains(text, "RESPONSE 403") && !strings.Contains(text, "AuthenticationFailed")): // Azure's
		e.Msg = fmt.Sprintf("deploy to %s: the bucket refused to let us %s (403, access denied)", t.Name, doing)
		e.Hint = "check the bucket's policy and that the credentials have the rights to list, read, write and delete objects in it"
		if creds != "" {
			e.Hint += "; the credentials come from " + creds
		}
		e.Hint += "." + again
	case creds != "" && (strings.Contains(text, "credential") || strings.Contains(text, "Credential") || strings.Contains(text, "InvalidAccessKeyId") ||
		strings.Contains(text, "SignatureDoesNotMatch") || strings.Contains(text, "StatusCode: 401") ||
		// Azure's answers to a wrong key, a SAS token that does not fit, none
		strings.Contains(text, "AuthenticationFailed") || strings.Contains(text, "InvalidAuthenticationInfo") || strings.Contains(text, "NoAuthenticationInformation")):
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

// explainCDN turns a failed invalidation of n files' paths into a message
// naming the target and distribution and what to do; a deploy stopped by
// a signal (ctx cancelled) stays as it is.
func explainCDN(ctx context.Context, t config.Target, n int, err error) error {
	if ctx.Err() != nil {
		return err
	}
	dist := t.CloudFront
	e := &TargetError{Target: t.Name, Distribution: dist, Err: err}
	files := "1 file"
	if n != 1 {
		files = fmt.Sprintf("%d files", n)
	}
	again := fmt.Sprintf(" The files are deployed; the next deploy asks CloudFront again to drop its copies of the %s changed or deleted (listed in the bucket's %s).", files, PendingKey)
	code, status := "", 0
	var api smithy.APIError
	if errors.As(err, &api) {
		code = api.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	text := err.Error()
	var dns *net.DNSError
	var op *net.OpError
	switch {
	case code == "InvalidClientTokenId" || code == "SignatureDoesNotMatch" || code == "MissingAuthenticationToken" ||
		code == "ExpiredToken" || code == "InvalidAccessKeyId" || code == "UnrecognizedClientException" ||
		strings.Contains(text, "get identity") || strings.Contains(strings.ToLower(text), "credential") ||
		strings.Contains(text, "shared config profile"):
		e.Msg = fmt.Sprintf("deploy to %s: no usable AWS credentials to invalidate CloudFront distribution %s", t.Name, dist)
		e.Hint = "give the deploy AWS credentials allowed cloudfront:CreateInvalidation, in the environment (never in site.toml): " + Credentials["s3"] + "." + again
	case code == "AccessDenied" || status == 403:
		e.Msg = fmt.Sprintf("deploy to %s: CloudFront refused to invalidate distribution %s (403, access denied)", t.Name, dist)
		e.Hint = fmt.Sprintf("allow the credentials cloudfront:CreateInvalidation on arn:aws:cloudfront::ACCOUNT:distribution/%s in their IAM policy; they come from %s.%s", dist, Credentials["s3"], again)
	case code == "NoSuchDistribution" || status == 404:
		e.Msg = fmt.Sprintf("deploy to %s: CloudFront has no distribution %s", t.Name, dist)
		e.Hint = fmt.Sprintf("check cloudfront in the target %q in site.toml%s: it is the distribution's ID, as aws cloudfront list-distributions --query 'DistributionList.Items[].[Id,DomainName]' lists it for the account the credentials are for.%s",
			t.Name, lineOf(t), again)
	case code == "TooManyInvalidationsInProgress":
		e.Msg = fmt.Sprintf("deploy to %s: CloudFront distribution %s has too many invalidations in progress", t.Name, dist)
		e.Hint = fmt.Sprintf("wait a few minutes for them to finish (aws cloudfront list-invalidations --distribution-id %s lists them), then deploy again.%s", dist, again)
	case code == "" && (errors.As(err, &dns) || errors.As(err, &op) || errors.Is(err, context.DeadlineExceeded) ||
		strings.Contains(text, "connection refused") || strings.Contains(text, "no such host")):
		e.Msg = fmt.Sprintf("deploy to %s: cannot reach CloudFront to invalidate distribution %s", t.Name, dist)
		e.Hint = "check the network"
		for _, v := range []string{"AWS_ENDPOINT_URL_CLOUDFRONT", "AWS_ENDPOINT_URL"} {
			if u := os.Getenv(v); u != "" {
				e.Hint += fmt.Sprintf(", and %s=%s in the environment, which sends CloudFront's requests there (unset it to use CloudFront itself)", v, u)
				break
			}
		}
		e.Hint += "." + again
	default:
		e.Msg = fmt.Sprintf("deploy to %s: could not invalidate CloudFront distribution %s", t.Name, dist)
		e.Hint = fmt.Sprintf("see the cause above; if it fails again, invalidate by hand (aws cloudfront create-invalidation --distribution-id %s --paths '/*') and delete %s from the bucket.%s", dist, PendingKey, again)
	}
	if api != nil {
		// CloudFront's own words, without the SDK's wrapping
		text = api.ErrorCode() + ": " + api.ErrorMessage()
	}
	e.Msg += ": " + firstLine(text)
	return e
}

// lineOf is " (line N)", where the target is written in site.toml.
func lineOf(t config.Target) string {
	if t.Pos.Line == 0 {
		return ""
	}
	return fmt.Sprintf(" (line %d)", t.Pos.Line)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}
