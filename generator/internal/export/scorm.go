package export

import (
	"archive/zip"
	"bytes"
	"embed"
	"encoding/xml"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

//go:embed scorm.js
var scormJS []byte

// schemas are the XML Schema files (and the DTDs they name) that each
// edition's manifest is checked against. SCORM asks for them at the root
// of the package, beside imsmanifest.xml, where conformance tests and
// some learning systems look for them: exact copies of the files IMS, ADL
// and the W3C publish (schemas/README.md says where each came from and on
// what terms).
//
//go:embed schemas/scorm12 schemas/scorm2004
var schemas embed.FS

// edition is one version of SCORM a pack can be packaged for.
type edition struct {
	name    string // "SCORM 1.2", for messages
	runtime string // the script's data-scorm: which API it looks for
	schemas string // the folder of schemas for the root of the zip
	// manifest is imsmanifest.xml for one SCO with the content files given
	manifest func(p Pack, content []string) ([]byte, error)
}

var (
	scorm12   = edition{name: "SCORM 1.2", runtime: "1.2", schemas: "schemas/scorm12", manifest: scorm12Manifest}
	scorm2004 = edition{name: "SCORM 2004 4th Edition", runtime: "2004", schemas: "schemas/scorm2004", manifest: scorm2004Manifest}
)

// completionCSS styles the completion section; the theme styles the rest.
const completionCSS = `
.scorm-complete { margin: 2.5rem 0; padding: 1rem; border: 2px solid currentColor; }
@media print { .scorm-complete { display: none; } }
`

// SCORM is the pack as a SCORM 1.2 package: one SCO (the whole pack on one
// page, its stylesheet and pictures as files beside it) and a few lines of
// script that tell the learning system the pack was started and, when the
// learner says so, completed. Nothing the learner writes is sent.
func SCORM(site fs.FS, p Pack) ([]byte, error) {
	return scormPackage(site, p, scorm12)
}

// SCORM2004 is the same pack as a SCORM 2004 4th Edition package: the same
// SCO, whose script finds the 2004 API (API_1484_11) instead, and a
// manifest that leaves completion to the content.
func SCORM2004(site fs.FS, p Pack) ([]byte, error) {
	return scormPackage(site, p, scorm2004)
}

func scormPackage(site fs.FS, p Pack, ed edition) ([]byte, error) {
	pg, err := load(site, p)
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	var css bytes.Buffer
	for _, s := range pg.styles {
		b, err := fs.ReadFile(site, s)
		if err != nil {
			return nil, fmt.Errorf("stylesheet %s: %w", s, err)
		}
		css.Write(b)
		css.WriteByte('\n')
	}
	css.WriteString(completionCSS)
	files["style.css"] = css.Bytes()
	words := p.Words.or()
	files["scorm.js"] = scormScript(words)
	head := find(pg.doc, atom.Head)
	head.AppendChild(element("link", "rel", "stylesheet", "href", "style.css"))
	head.AppendChild(element("script", "defer", "", "src", "scorm.js", "data-scorm", ed.runtime))
	// pictures and the icon as files in images/, named by their place on the site
	if err := pg.files(site, p, func(name string, b []byte) string {
		local := "images/" + strings.ReplaceAll(name, "/", "-")
		files[local] = b
		return local
	}); err != nil {
		return nil, err
	}
	main := find(pg.doc, atom.Main)
	if main == nil {
		return nil, fmt.Errorf("the print page of %q has no <main>", p.Slug)
	}
	nodes, err := html.ParseFragment(strings.NewReader(completion(words)), main)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		main.AppendChild(n)
	}
	page, err := pg.render()
	if err != nil {
		return nil, err
	}
	files["index.html"] = page
	content := append(sortedNames(files), "imsmanifest.xml")
	manifest, err := ed.manifest(p, content)
	if err != nil {
		return nil, err
	}
	files["imsmanifest.xml"] = manifest
	// the schemas at the root, beside the manifest; no content file has a
	// name ending .xsd or .dtd at the root, so none is replaced
	err = fs.WalkDir(schemas, ed.schemas, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := schemas.ReadFile(name)
		files[path.Base(name)] = b
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("the %s schemas: %w", ed.name, err)
	}
	return zipFiles(files, p.Updated)
}

func element(tag string, kv ...string) *html.Node {
	n := &html.Node{Type: html.ElementNode, Data: tag, DataAtom: atom.Lookup([]byte(tag))}
	for i := 0; i+1 < len(kv); i += 2 {
		n.Attr = append(n.Attr, html.Attribute{Key: kv[i], Val: kv[i+1]})
	}
	return n
}

// manifest is imsmanifest.xml: one organization with one item, the
// pack's SCO, which lists every content file. The fields only SCORM 2004
// has are left out of a SCORM 1.2 manifest (omitempty), and the two
// editions spell scormType differently.
type manifest struct {
	XMLName        xml.Name `xml:"manifest"`
	Identifier     string   `xml:"identifier,attr"`
	Version        string   `xml:"version,attr"`
	NS             string   `xml:"xmlns,attr"`
	ADLCP          string   `xml:"xmlns:adlcp,attr"`
	ADLSeq         string   `xml:"xmlns:adlseq,attr,omitempty"`
	ADLNav         string   `xml:"xmlns:adlnav,attr,omitempty"`
	IMSSS          string   `xml:"xmlns:imsss,attr,omitempty"`
	XSI            string   `xml:"xmlns:xsi,attr"`
	SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
	Schema         string   `xml:"metadata>schema"`
	SchemaVersion  string   `xml:"metadata>schemaversion"`
	Orgs           struct {
		Default string `xml:"default,attr"`
		Org     struct {
			Identifier       string `xml:"identifier,attr"`
			GlobalObjectives string `xml:"adlseq:objectivesGlobalToSystem,attr,omitempty"`
			Title            string `xml:"title"`
			Item             struct {
				Identifier    string      `xml:"identifier,attr"`
				IdentifierRef string      `xml:"identifierref,attr"`
				Title         string      `xml:"title"`
				Sequencing    *sequencing `xml:"imsss:sequencing,omitempty"`
			} `xml:"item"`
		} `xml:"organization"`
	} `xml:"organizations"`
	Resource struct {
		Identifier string         `xml:"identifier,attr"`
		Type       string         `xml:"type,attr"`
		ScormType  string         `xml:"adlcp:scormtype,attr,omitempty"` // SCORM 1.2
		ScormType4 string         `xml:"adlcp:scormType,attr,omitempty"` // SCORM 2004
		Href       string         `xml:"href,attr"`
		Files      []manifestFile `xml:"file"`
	} `xml:"resources>resource"`
}

type manifestFile struct {
	Href string `xml:"href,attr"`
}

// sequencing says the content reports completion and success itself
// (deliveryControls), so a learning system does not mark the pack
// completed just because the learner opened and closed it.
type sequencing struct {
	Delivery struct {
		Completion string `xml:"completionSetByContent,attr"`
		Objective  string `xml:"objectiveSetByContent,attr"`
	} `xml:"imsss:deliveryControls"`
}

// packManifest is what both editions' manifests say of the pack.
func packManifest(p Pack, content []string) *manifest {
	m := &manifest{Identifier: "otpress-pack-" + p.Slug, Version: "1.0", XSI: "http://www.w3.org/2001/XMLSchema-instance", Schema: "ADL SCORM"}
	m.Orgs.Default = "org-" + p.Slug
	m.Orgs.Org.Identifier = "org-" + p.Slug
	m.Orgs.Org.Title = p.Title
	m.Orgs.Org.Item.Identifier = "item-" + p.Slug
	m.Orgs.Org.Item.IdentifierRef = "sco-" + p.Slug
	m.Orgs.Org.Item.Title = p.Title
	m.Resource.Identifier = "sco-" + p.Slug
	m.Resource.Type = "webcontent"
	m.Resource.Href = "index.html"
	for _, name := range content {
		m.Resource.Files = append(m.Resource.Files, manifestFile{Href: name})
	}
	return m
}

// scorm12Manifest is imsmanifest.xml for SCORM 1.2.
func scorm12Manifest(p Pack, content []string) ([]byte, error) {
	m := packManifest(p, content)
	m.NS = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
	m.ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
	m.SchemaLocation = "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"
	m.SchemaVersion = "1.2"
	m.Resource.ScormType = "sco"
	return marshalManifest(m)
}

// scorm2004Manifest is imsmanifest.xml for SCORM 2004 4th Edition: the
// content reports completion itself (sequencing); the pack has no test,
// so it never reports success (cmi.success_status stays unknown); its
// objectives stay its own, never shared with another course.
func scorm2004Manifest(p Pack, content []string) ([]byte, error) {
	m := packManifest(p, content)
	m.NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
	m.ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
	m.ADLSeq = "http://www.adlnet.org/xsd/adlseq_v1p3"
	m.ADLNav = "http://www.adlnet.org/xsd/adlnav_v1p3"
	m.IMSSS = "http://www.imsglobal.org/xsd/imsss"
	m.SchemaLocation = "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd" +
		" http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd" +
		" http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd" +
		" http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd" +
		" http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd"
	m.SchemaVersion = "2004 4th Edition"
	m.Orgs.Org.GlobalObjectives = "false"
	seq := &sequencing{}
	seq.Delivery.Completion, seq.Delivery.Objective = "true", "true"
	m.Orgs.Org.Item.Sequencing = seq
	m.Resource.ScormType4 = "sco"
	return marshalManifest(m)
}

func marshalManifest(m any) ([]byte, error) {
	out, err := xml.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// zipFiles packs files in name order, each dated modified, so the same
// pack gives the same bytes; imsmanifest.xml goes first, where LMSs look
// for it.
func zipFiles(files map[string][]byte, modified time.Time) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := sortedNames(files)
	for i, n := range names {
		if n == "imsmanifest.xml" {
			names = append([]string{n}, append(names[:i:i], names[i+1:]...)...)
			break
		}
	}
	for _, name := range names {
		w, err := zw.CreateHeader(dated(&zip.FileHeader{Name: name, Method: zip.Deflate}, modified))
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(files[name]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// dated gives a zip entry the date and time t in the entry's own MS-DOS
// fields, which zip tools and validators read (an entry with none is
// dated 0/0/1980, not a date), and no extended timestamp: EPUB forbids
// extra fields on its mimetype entry. Before 1980 is 1 January 1980.
func dated(h *zip.FileHeader, t time.Time) *zip.FileHeader {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if t.Year() > 2107 {
		t = time.Date(2107, 12, 31, 23, 59, 58, 0, time.UTC)
	}
	h.ModifiedDate = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	h.ModifiedTime = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return h
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
