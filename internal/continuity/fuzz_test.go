package continuity_test

import (
	"bytes"
	"testing"

	"fyr/internal/continuity"
	"fyr/internal/event"
	"fyr/internal/fail"
)

type units map[string]continuity.UnitInfo

func (u units) Unit(id string) (continuity.UnitInfo, bool) { i, ok := u[id]; return i, ok }

// The parsers and the import's checks never panic; whatever they accept
// is written by the export and reads back the same; whatever they refuse
// is named by line and field.
func FuzzImport(f *testing.F) {
	for _, seed := range []string{
		"id,kind,name\ndns,infrastructure,DNS\n",
		"id;kind;name;owner;contact_name;contact_phone;criticality;max_outage;note\ncosmic;system;\"Cosmic; journal\";IT;Jour;+4670;critical;4h;\"rad\nbrytning\"\n",
		"\ufeffsep=;\nid;kind;name\nx;supplier;=cmd()\n",
		"id,kind,name\nX Y,gadget,\nx,system,a\nx,system,b\n",
		"from,to,type,group,mode\ncosmic,dns,needs,net,any\ncosmic,ad,needs,net,all\navd1,cosmic,used_by,,\n",
		"from,to,type\ndns,dns,needs\n\"unterminated,x,y\n",
		"id,kind,name,max_outage\na,system,A,2d\nb,system,B,0h\n",
		"",
		"\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	reg := continuity.NewRegistry()
	for i, c := range []continuity.Component{{ID: "dns", Kind: continuity.Infrastructure, Name: "DNS"}, {ID: "cosmic", Kind: continuity.System, Name: "Cosmic"}} {
		e, err := event.Seal(event.Draft{Type: continuity.TypeComponentSaved, Subject: c.ID, Payload: continuity.ComponentSaved{Component: c}}, "id", "t", "", testTime)
		if err != nil {
			f.Fatal(err)
		}
		e.Seq = uint64(i + 1)
		if err := reg.Apply(e); err != nil {
			f.Fatal(err)
		}
	}
	m := continuity.WriteModel{Registry: reg, Units: units{"avd1": {ID: "avd1", Name: "Avd 1"}}}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (continuity.Import, error){continuity.ParseComponents, continuity.ParseDependencies} {
			imp, err := parse(data)
			if err != nil {
				if len(fail.As(err).Problems) == 0 {
					t.Fatalf("a file-level error without problems: %v", err)
				}
				continue
			}
			for _, r := range imp.Components {
				if r.Line < 2 {
					t.Fatalf("a row on line %d", r.Line)
				}
			}
			drafts, _, err := imp.Decide(m, event.Actor{Username: "fuzz"}, 0)
			if err != nil {
				fe := fail.As(err)
				if fe.Code != fail.Invalid {
					t.Fatalf("refused with %s: %v", fe.Code, err)
				}
				for _, p := range fe.Problems {
					if p.Field == "" {
						t.Fatalf("a problem without a field: %+v", p)
					}
				}
				continue
			}
			// What was accepted writes and reads back the same.
			for _, d := range drafts {
				if p, ok := d.Payload.(continuity.ComponentsImported); ok {
					var buf bytes.Buffer
					if err := continuity.WriteComponentsCSV(&buf, p.Components, ','); err != nil {
						t.Fatal(err)
					}
					again, err := continuity.ParseComponents(buf.Bytes())
					if err != nil || len(again.Components) != len(p.Components) || len(again.Problems) > 0 {
						t.Fatalf("export of %d components reads back as %d (%v %v):\n%s", len(p.Components), len(again.Components), err, again.Problems, buf.Bytes())
					}
					for i, r := range again.Components {
						if r.Component != p.Components[i] {
							t.Fatalf("row %d: %+v reads back as %+v", i, p.Components[i], r.Component)
						}
					}
				}
			}
		}
	})
}
