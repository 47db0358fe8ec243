package export

import "encoding/xml"

// scorm2004Manifest is imsmanifest.xml for SCORM 2004 4th Edition: one
// organization with one item, the pack's SCO, which lists every content
// file. Its sequencing says the content reports completion and success
// itself (deliveryControls), so a learning system does not mark the pack
// completed just because the learner opened and closed it; the pack has
// no test, so it never reports success (cmi.success_status stays
// unknown).
func scorm2004Manifest(p Pack, content []string) ([]byte, error) {
	type file struct {
		Href string `xml:"href,attr"`
	}
	type manifest struct {
		XMLName        xml.Name `xml:"manifest"`
		Identifier     string   `xml:"identifier,attr"`
		Version        string   `xml:"version,attr"`
		NS             string   `xml:"xmlns,attr"`
		ADLCP          string   `xml:"xmlns:adlcp,attr"`
		ADLSeq         string   `xml:"xmlns:adlseq,attr"`
		ADLNav         string   `xml:"xmlns:adlnav,attr"`
		IMSSS          string   `xml:"xmlns:imsss,attr"`
		XSI            string   `xml:"xmlns:xsi,attr"`
		SchemaLocation string   `xml:"xsi:schemaLocation,attr"`
		Schema         string   `xml:"metadata>schema"`
		SchemaVersion  string   `xml:"metadata>schemaversion"`
		Orgs           struct {
			Default string `xml:"default,attr"`
			Org     struct {
				Identifier string `xml:"identifier,attr"`
				// objectives stay the pack's own, never shared with
				// another course in the learning system
				GlobalObjectives string `xml:"adlseq:objectivesGlobalToSystem,attr"`
				Title            string `xml:"title"`
				Item             struct {
					Identifier    string `xml:"identifier,attr"`
					IdentifierRef string `xml:"identifierref,attr"`
					Title         string `xml:"title"`
					Sequencing    struct {
						Delivery struct {
							Completion string `xml:"completionSetByContent,attr"`
							Objective  string `xml:"objectiveSetByContent,attr"`
						} `xml:"imsss:deliveryControls"`
					} `xml:"imsss:sequencing"`
				} `xml:"item"`
			} `xml:"organization"`
		} `xml:"organizations"`
		Resource struct {
			Identifier string `xml:"identifier,attr"`
			Type       string `xml:"type,attr"`
			ScormType  string `xml:"adlcp:scormType,attr"`
			Href       string `xml:"href,attr"`
			Files      []file `xml:"file"`
		} `xml:"resources>resource"`
	}
	m := manifest{
		Identifier: "otpress-pack-" + p.Slug,
		Version:    "1.0",
		NS:         "http://www.imsglobal.org/xsd/imscp_v1p1",
		ADLCP:      "http://www.adlnet.org/xsd/adlcp_v1p3",
		ADLSeq:     "http://www.adlnet.org/xsd/adlseq_v1p3",
		ADLNav:     "http://www.adlnet.org/xsd/adlnav_v1p3",
		IMSSS:      "http://www.imsglobal.org/xsd/imsss",
		XSI:        "http://www.w3.org/2001/XMLSchema-instance",
		SchemaLocation: "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd" +
			" http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd" +
			" http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd" +
			" http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd" +
			" http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd",
		Schema:        "ADL SCORM",
		SchemaVersion: "2004 4th Edition",
	}
	m.Orgs.Default = "org-" + p.Slug
	m.Orgs.Org.Identifier = "org-" + p.Slug
	m.Orgs.Org.GlobalObjectives = "false"
	m.Orgs.Org.Title = p.Title
	item := &m.Orgs.Org.Item
	item.Identifier = "item-" + p.Slug
	item.IdentifierRef = "sco-" + p.Slug
	item.Title = p.Title
	item.Sequencing.Delivery.Completion = "true"
	item.Sequencing.Delivery.Objective = "true"
	m.Resource.Identifier = "sco-" + p.Slug
	m.Resource.Type = "webcontent"
	m.Resource.ScormType = "sco"
	m.Resource.Href = "index.html"
	for _, name := range content {
		m.Resource.Files = append(m.Resource.Files, file{Href: name})
	}
	return marshalManifest(m)
}
