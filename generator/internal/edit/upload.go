package edit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"path"
	"strings"

	"github.com/otpress/otpress/generator/internal/content"
	"github.com/otpress/otpress/generator/internal/diag"
	"github.com/otpress/otpress/generator/internal/picture"
	"github.com/otpress/otpress/generator/internal/vtt"
)

// What the editor takes with a form, at most: a phone's photo with room
// to spare (the build makes smaller copies for readers), an episode of
// a couple of hours, a transcript of one.
const (
	maxPicture    = 20 << 20
	maxSound      = 400 << 20
	maxTranscript = 8 << 20
)

// pictureExt are the file endings of the pictures the editor takes, by
// the format picture.Probe finds in the bytes (never by the name given).
var pictureExt = map[string]string{"jpeg": ".jpg", "png": ".png", "gif": ".gif", "webp": ".webp"}

// uploads takes the files sent with a form for page file (one that is, or
// will be, at that path): a picture, an episode's sound and its
// transcript. Each is checked as the build checks it, then saved beside
// the page under a plain name (a file already there is never replaced;
// the same bytes are used again), and its field names it. A problem is
// put at the field.
func (e *Editor) uploads(r *http.Request, f *form, file string) {
	e.textPicture(r, f, file)
	if r.MultipartForm == nil {
		return
	}
	if fl := f.field("image"); fl != nil && fl.Kept == "" {
		e.take(r, file, "image.upload", sub(fl, "src"), maxPicture, "choose a JPEG, PNG, WebP or GIF photo", pictureKind)
	}
	if fl := f.field("audio"); fl != nil && fl.Kept == "" {
		e.take(r, file, "audio.upload", sub(fl, "src"), maxSound, "choose the episode as an MP3 or AAC (.m4a) file", soundKind)
	}
	if fl := f.field("transcript"); fl != nil && fl.Kept == "" {
		e.take(r, file, "transcript.upload", fl, maxTranscript, "choose the transcript as a WebVTT (.vtt), SubRip (.srt) or Podcasting 2.0 JSON file", transcriptKind)
	}
}

// textPicture takes a picture sent to go in the page's text: saved beside
// the page as the page's picture is, then written at the end of the text
// with its description, ![Denis at his door](denis-door.jpg), where the
// editor can move it. Without a description it is kept, and the text
// waits for one.
func (e *Editor) textPicture(r *http.Request, f *form, file string) {
	got := &field{FieldSpec: content.FieldSpec{Key: "picture"}}
	if r.MultipartForm != nil && len(r.MultipartForm.File["body.picture"]) > 0 && (r.MultipartForm.File["body.picture"][0].Size > 0 || r.MultipartForm.File["body.picture"][0].Filename != "") {
		e.take(r, file, "body.picture", got, maxPicture, "choose a JPEG, PNG, WebP or GIF photo", pictureKind)
		f.BodyProbs = append(f.BodyProbs, got.Probs...)
	} else if kept := r.PostForm.Get("body.picturename"); kept != "" && !strings.ContainsAny(kept, "/\\") && e.sourcePicture(file, kept) != "" {
		got.Value = kept // sent before without its description
	}
	if got.Value == "" {
		return
	}
	alt := strings.Join(strings.Fields(r.PostForm.Get("body.alt")), " ")
	if alt == "" {
		f.PictureName = got.Value
		f.BodyProbs = append(f.BodyProbs, diag.Errorf("", 0, 0, "the picture for the text has no description").WithHint("say what it shows under Describe the picture, then add it again"))
		return
	}
	alt = strings.NewReplacer("[", "(", "]", ")").Replace(alt)
	f.Body = strings.TrimRight(f.Body, "\n") + "\n\n![" + alt + "](" + got.Value + ")\n"
}

// take saves the file a form sent as input beside page file, if it is of
// a kind that kind (given its head and the name it came with) gives an
// ending for, and sets to to its name.
func (e *Editor) take(r *http.Request, file, input string, to *field, limit int64, hint string, kind func(head []byte, name string) (string, error)) {
	hs := r.MultipartForm.File[input]
	if len(hs) == 0 || hs[0].Size == 0 && hs[0].Filename == "" {
		return // no file chosen
	}
	h := hs[0]
	fail := func(format string, args ...any) {
		to.Probs = append(to.Probs, diag.Errorf("", 0, 0, format, args...).WithHint("%s, of up to %d MB", hint, limit>>20))
	}
	if h.Size > limit {
		fail("%q is %.1f MB, more than the editor takes", h.Filename, float64(h.Size)/(1<<20))
		return
	}
	in, err := h.Open()
	if err != nil {
		fail("%q could not be read: %v", h.Filename, err)
		return
	}
	defer in.Close()
	br := bufio.NewReaderSize(in, 64<<10)
	head, _ := br.Peek(64 << 10)
	ext, err := kind(head, h.Filename)
	if err != nil {
		fail("%v", err)
		return
	}
	name, err := e.keep(file, h, ext, br)
	if err != nil {
		fail("%q could not be saved: %v", h.Filename, err)
		return
	}
	to.Value = name
}

// pictureKind is the ending of a picture the build publishes: its format
// read from its head, within the size the build opens.
func pictureKind(head []byte, name string) (string, error) {
	info, err := picture.Probe(head)
	if errors.Is(err, picture.ErrFormat) {
		return "", fmt.Errorf("%q is not a picture otpress can publish", name)
	}
	if err != nil {
		return "", err
	}
	return pictureExt[info.Format], nil
}

// soundKind is the ending of a sound file, when its head agrees with the
// ending of its name (a podcast app trusts the type the feed gives).
func soundKind(head []byte, name string) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	var got string
	switch {
	case bytes.HasPrefix(head, []byte("ID3")) || len(head) > 1 && head[0] == 0xFF && head[1]&0xE6 == 0xE2:
		got = ".mp3"
	case len(head) > 11 && string(head[4:8]) == "ftyp":
		got = ".m4a"
	case len(head) > 1 && head[0] == 0xFF && head[1]&0xF6 == 0xF0:
		got = ".aac"
	case bytes.HasPrefix(head, []byte("OggS")):
		got = ".ogg"
	case bytes.HasPrefix(head, []byte("fLaC")):
		got = ".flac"
	case len(head) > 11 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WAVE":
		got = ".wav"
	default:
		return "", fmt.Errorf("%q is not a sound file otpress knows (MP3, AAC, Ogg, FLAC or WAV)", name)
	}
	if ext == ".mp4" || ext == ".opus" || ext == ".oga" {
		ext = map[string]string{".mp4": ".m4a", ".opus": ".ogg", ".oga": ".ogg"}[ext]
	}
	if ext != got && content.AudioType(ext) != "" {
		return "", fmt.Errorf("%q is named as %s but holds %s sound", name, strings.TrimPrefix(ext, "."), strings.TrimPrefix(got, "."))
	}
	return got, nil
}

// transcriptKind is the ending of a transcript, by its name; what is in
// it is checked as the build checks it, once the page names it, and each
// problem shown at its line.
func transcriptKind(head []byte, name string) (string, error) {
	ext := strings.ToLower(path.Ext(name))
	if _, ok := vtt.FormatOf(name); !ok || ext == "" {
		return "", fmt.Errorf("%q is not a WebVTT, SubRip or JSON transcript", name)
	}
	if !bytes.HasPrefix(head, []byte("\xef\xbb\xbf")) && bytes.IndexByte(head, 0) >= 0 {
		return "", fmt.Errorf("%q is not text", name)
	}
	return ext, nil
}

// keep saves a file sent with a form beside a page file and returns the
// name the page gives it: its own name, made plain, in a bundle's folder;
// the page's name and its own beside a page of one file.
func (e *Editor) keep(file string, h *multipart.FileHeader, ext string, r io.Reader) (string, error) {
	given := path.Base(strings.ReplaceAll(h.Filename, "\\", "/"))
	stem := content.Slug(strings.TrimSuffix(given, path.Ext(given)))
	if stem == "" {
		stem = "file"
	}
	dir := path.Dir(file)
	if base := path.Base(file); !strings.HasPrefix(base, "index.") {
		stem = content.Slug(strings.TrimSuffix(base, path.Ext(base))) + "-" + stem
	}
	tmp, size, sum, err := e.spool(dir, r, 0o644)
	if err != nil {
		return "", err
	}
	defer e.root.Remove(tmp) // placed by now, or not wanted
	for i := 1; i < 100; i++ {
		name := stem + ext
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", stem, i, ext)
		}
		if fi, err := e.root.Stat(dir + "/" + name); err == nil {
			if fi.Size() == size && e.fileSum(dir+"/"+name) == sum {
				return name, nil // sent before
			}
			continue
		}
		err := e.place(tmp, dir+"/"+name, true)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return name, err
	}
	return "", fmt.Errorf("too many files named %s", stem)
}

// fileSum is the sha256 of a file of the site, zero when it cannot be read.
func (e *Editor) fileSum(p string) [32]byte {
	var out [32]byte
	f, err := e.root.Open(p)
	if err != nil {
		return out
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err == nil {
		copy(out[:], h.Sum(nil))
	}
	return out
}

// sub is the field of a Group with a key.
func sub(fl *field, key string) *field {
	for _, s := range fl.Sub {
		if s.Key == key {
			return s
		}
	}
	return nil
}

// needAlt puts a problem at a picture's text alternative when it has a
// file and no description: the build lets "" through for a decorative
// picture, but a form cannot tell "" from left empty, and a photo of a
// person's story is never decoration.
func needAlt(f *form) bool {
	fl := f.field("image")
	if fl == nil || fl.Kept != "" || sub(fl, "src").Value == "" || sub(fl, "alt").Value != "" {
		return false
	}
	alt := sub(fl, "alt")
	alt.Probs = append(alt.Probs, diag.Errorf("", 0, 0, "the picture has no text alternative").WithHint("say what the picture shows, for readers who cannot see it: Denis standing at his kitchen door"))
	return true
}
