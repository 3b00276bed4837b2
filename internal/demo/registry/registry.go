// Package registry holds the continuity registry of the demo's Region
// Exempel in the agreed import formats: components.csv (IT systems,
// infrastructure, suppliers and care functions), dependencies.csv (what
// depends on what, units included) and routines.json (the backup routines,
// reservrutiner). Everything is made up; supplier phone numbers come from the
// series PTS reserves for fiction (070-174 06 05 – 99).
//
// Shape worth knowing for the exercises: dns-1 and dns-2 form an any-group
// (losing one degrades, losing both breaks), as do internet-1/internet-2
// and the two data centres for most systems; AD and DNS depend on each
// other (a cycle). The Kronoberg exercise takes down dns-1 and dns-2: the
// routines that need the reserve PC (it logs in through AD), the print
// servers, the intranet or e-mail break, the paper-and-phone ones work. The
// Tietoevry exercise takes down lev-drift, which hosts the journal, the
// economy and HR systems, ordering and discharge planning.
package registry

import _ "embed"

// Components is components.csv: id,kind,name,owner,contact_name,
// contact_phone,criticality,max_outage,note.
//
//go:embed components.csv
var Components []byte

// Dependencies is dependencies.csv: from,to,type,group,mode.
//
//go:embed dependencies.csv
var Dependencies []byte

// Routines is routines.json: a list of {"id","title","steps","owner",
// "paper_copy","for","needs"}.
//
//go:embed routines.json
var Routines []byte
