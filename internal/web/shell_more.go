package web

import "net/http"

// More of the shell's side of a capability's UI (see shell.go).

// ClientAddr is the address of the person making the request: the peer,
// or what a trusted reverse proxy says it is.
func (s *Server) ClientAddr(r *http.Request) string { return s.clientAddr(r) }

// DescribeFields adds the OpenAPI descriptions of a module's own schemas'
// fields, keyed "Schema.json_name" (e.g. "IncidentList.incidents"). A key
// described twice stops the program at start. Call it from the module's
// init.
func DescribeFields(docs map[string]string) {
	for k, d := range docs {
		if _, dup := fieldDocs[k]; dup {
			panic("web: the OpenAPI field " + k + " is described twice")
		}
		fieldDocs[k] = d
	}
}
