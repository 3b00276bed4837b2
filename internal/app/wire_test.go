package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"fyr/internal/auth"
	"fyr/internal/directory"
	"fyr/internal/dispatch"
	"fyr/internal/event"
	"fyr/internal/incident"
	"fyr/internal/situation"
)

// The payloads that carry who did it, exactly as a run of the suite wrote
// them before "who" became one type (event.Actor): each decodes, names the
// same person in the same field, and encodes back byte for byte. A data
// directory written before the change reads the same after it.
func TestWhoDidItPayloadsKeepTheirWireShape(t *testing.T) {
	for _, c := range []struct {
		typ, payload string
		into         any
		who          func(any) []string // the fields that name who did it
		want         []string
	}{
		{incident.TypeOpened, `{"incident":"01M933EFPDY1QZPHTXRERKS0P3","entry_id":"01M933EFPDY1QZPHTXRGGGHKYC","title":"IT-avbrott","description":"DNS-fel","author":"Sven Stab"}`,
			new(incident.Opened), func(p any) []string { return []string{p.(*incident.Opened).Author} }, []string{"Sven Stab"}},
		{incident.TypeLevelChanged, `{"incident":"01M933EFPDY1QZPHTXRERKS0P3","entry_id":"01M933EFPDY1QZPHTXRGM6YVVJ","scope":"region","level":"staff","previous":"normal","decided_by":"Sven Stab","author":"Sven Stab"}`,
			new(incident.LevelChanged), func(p any) []string { x := p.(*incident.LevelChanged); return []string{x.DecidedBy, x.Author} }, []string{"Sven Stab", "Sven Stab"}},
		{incident.TypeEntryRecorded, `{"id":"01M933EQ1C6D0WBV6B7V12VE82","incident":"01M933EQ08T6R2KR0ERA6EZ7CB","kind":"decision","text":"All icke-akut vård ställs in","author":"Sven Stab","function":"Sjukvårdsledare","verified":false,"decision":{"decision_maker":"Sven Stab"}}`,
			new(incident.EntryRecorded), func(p any) []string { x := p.(*incident.EntryRecorded); return []string{x.Author, x.Function} }, []string{"Sven Stab", "Sjukvårdsledare"}},
		{dispatch.TypeCreated, `{"dispatch":"01M933EFPVKFYE7PBXY8EFJM10","incident":"01M933EFPDY1QZPHTXRERKS0P3","kind":"picture","title":"Lägesbild version 2: DNS, värre","body":"LÄGESBILD version 2\nFastställd 2026-12-05 13:40 av Stabschef\n\nHÄNDELSE\nDNS, värre\n","audience":{"all":true},"units":["avd1","avd2","avd3","lasarett","region","sjukhus"],"deadline":"2026-12-05T13:40:00Z","escalation":{"resend_min":10,"deputies_min":20,"parent_min":30},"channels":["inapp","email","sms","webhook"],"author":"staff"}`,
			new(dispatch.Created), func(p any) []string { return []string{p.(*dispatch.Created).Author} }, []string{"staff"}},
		{dispatch.TypeAcknowledged, `{"dispatch":"01M933EQ30VTF72RNZ9HGVZ7D9","unit":"avd1","by":"Anna Andersson","username":"avd1","channel":"inapp"}`,
			new(dispatch.Acknowledged), func(p any) []string { x := p.(*dispatch.Acknowledged); return []string{x.By, x.Username} }, []string{"Anna Andersson", "avd1"}},
		{situation.TypeRoundOpened, `{"round":"01M933EQ1F22AKK6X6W9XV515W","incident":"01M933EQ08T6R2KR0ERA6EZ7CB","title":"Omgång 14:00","audience":{"units":["avd1","avd3"]},"units":["avd1","avd3"],"deadline":"2026-12-05T13:39:00Z","dispatch":"01M933EQ1F22AKK6X6W7S1YEWX","author":"Sven Stab"}`,
			new(situation.RoundOpened), func(p any) []string { return []string{p.(*situation.RoundOpened).Author} }, []string{"Sven Stab"}},
		{situation.TypeReportFiled, `{"report":"01M933EMTZADH9JC4RM1TGFJG5","round":"01M933EMS4XJS6ZEKTTBZ3GMM5","incident":"01M933EMQMBF2KAHW0TH18YT7H","unit":"avd2","version":1,"state":"normal","staff":{"present":8,"missing":1},"beds":{"total":12,"occupied":12},"by":"Sven Stab","username":"staff","on_behalf":true,"channel":"phone"}`,
			new(situation.ReportFiled), func(p any) []string { x := p.(*situation.ReportFiled); return []string{x.By, x.Username} }, []string{"Sven Stab", "staff"}},
		{situation.TypePictureDrafted, `{"picture":"01M933EFPRA5CMXFGB11MYENS1","incident":"01M933EFPDY1QZPHTXRERKS0P3","version":1,"content":{"event":"DNS","scope":"","consequences":{"patient_safety":"","capacity":"","staff":"","supplies":"","personal_data":"","media":""},"actions":"","resources":"","coordination":"","communication":"","forecast":"","reporting":"","audience":{}},"basis":{},"author":"Sven Stab","function":"Sjukvårdsledare"}`,
			new(situation.PictureDrafted), func(p any) []string { x := p.(*situation.PictureDrafted); return []string{x.Author, x.Function} }, []string{"Sven Stab", "Sjukvårdsledare"}},
		{situation.TypePictureApproved, `{"picture":"01M933EFPT3REYFZPXP87JE45T","by":"Stina Stabschef","function":"Stabschef"}`,
			new(situation.PictureApproved), func(p any) []string { x := p.(*situation.PictureApproved); return []string{x.By, x.Function} }, []string{"Stina Stabschef", "Stabschef"}},
		{situation.TypePicturePublished, `{"picture":"01M933EFPT3REYFZPXP87JE45T","dispatch":"01M933EFPVKFYE7PBXY8EFJM10","by":"Sven Stab"}`,
			new(situation.PicturePublished), func(p any) []string { return []string{p.(*situation.PicturePublished).By} }, []string{"Sven Stab"}},
		{situation.TypePictureDiscarded, `{"picture":"01M933EFPRA5CMXFGB11MYENS1","reason":"Läget har ändrats: ny version","by":"Sven Stab"}`,
			new(situation.PictureDiscarded), func(p any) []string { return []string{p.(*situation.PictureDiscarded).By} }, []string{"Sven Stab"}},
		{situation.TypeFourEyesSet, `{"enabled":false,"by":"Ada Admin"}`,
			new(situation.FourEyesSet), func(p any) []string { return []string{p.(*situation.FourEyesSet).By} }, []string{"Ada Admin"}},
		{auth.TypeUserCreated, `{"username":"admin","name":"Ada Admin","role":"admin","hash":"$argon2id$v=19$m=65536,t=1,p=2$CrTKZX/1DK8RlrAkAjoAaA$wi0Kaqy2K77iHDhe8Hp547F+5ms98/aU/RIFVPZh1+4"}`,
			new(auth.UserCreated), func(p any) []string { x := p.(*auth.UserCreated); return []string{x.Username, x.Name} }, []string{"admin", "Ada Admin"}},
	} {
		e := event.Envelope{Type: c.typ, ID: "pinned", Payload: json.RawMessage(c.payload)}
		if err := e.Unmarshal(c.into); err != nil { // as replay reads it
			t.Errorf("%s: %v", c.typ, err)
			continue
		}
		if got := c.who(c.into); !equal(got, c.want) {
			t.Errorf("%s names %q, want %q", c.typ, got, c.want)
		}
		out, err := json.Marshal(c.into) // as a command writes it
		if err != nil || string(out) != c.payload {
			t.Errorf("%s encodes differently now (%v):\n got %s\nwant %s", c.typ, err, out, c.payload)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// One actor goes in; the log gets what it always got: the account as the
// event's actor, the person's name (and function) in the payload.
func TestTheActorLandsWhereItAlwaysDid(t *testing.T) {
	p := auth.Principal{Username: "staff", Name: "Sven Stab", Role: auth.Staff, Function: "Sjukvårdsledare"}
	now := time.Date(2026, 12, 5, 13, 40, 0, 0, time.UTC)
	_, drafts, err := incident.Open{Title: "IT-avbrott", Scope: "region", Level: incident.Staff, DecidedBy: "Sven Stab"}.
		Decide(incident.NewFacts(), nil, p.Actor(), now)
	if err != nil {
		t.Fatal(err)
	}
	opened, changed := drafts[0].Payload.(incident.Opened), drafts[1].Payload.(incident.LevelChanged)
	if drafts[0].Actor != "staff" || opened.Author != "Sven Stab" || drafts[1].Actor != "staff" || changed.Author != "Sven Stab" {
		t.Errorf("incident opened: actor %q author %q; level: actor %q author %q", drafts[0].Actor, opened.Author, drafts[1].Actor, changed.Author)
	}
	drafts, err = situation.SetFourEyes{Enabled: false}.Decide(situation.NewBook(), p.Actor())
	if err != nil {
		t.Fatal(err)
	}
	if set := drafts[0].Payload.(situation.FourEyesSet); drafts[0].Actor != "staff" || set.By != "Sven Stab" {
		t.Errorf("four eyes: actor %q by %q", drafts[0].Actor, set.By)
	}
	drafts, err = directory.AddUnit{Unit: directory.Unit{ID: "avd1", Name: "Avdelning 1", Type: directory.Ward}}.Decide(directory.New(), p.Actor(), now)
	if err != nil || drafts[0].Actor != "staff" {
		t.Errorf("unit added: actor %q (%v)", drafts[0].Actor, err)
	}
	if d := auth.Revoke("staff", "token", p.Actor(), now); d[0].Actor != "staff" {
		t.Errorf("session revoked: actor %q", d[0].Actor)
	}
}
