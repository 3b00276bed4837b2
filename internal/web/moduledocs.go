package web

import "fmt"

// AddFieldDocs lets a UI module describe the fields of its schemas in the
// OpenAPI document, as fieldDocs does for the shell's: keys are the
// schema's name in the document, a dot and the JSON name. Call it from the
// module's init; a key described twice panics.
func AddFieldDocs(docs map[string]string) {
	for k, v := range docs {
		if _, dup := fieldDocs[k]; dup {
			panic(fmt.Sprintf("web: field doc %q added twice", k))
		}
		fieldDocs[k] = v
	}
}

// AddFieldEnums lets a UI module list the values of its string fields in
// the OpenAPI document: keys are the Go type (reflect's String, e.g.
// "continuity.Component"), a dot and the JSON name.
func AddFieldEnums(enums map[string][]string) {
	for k, v := range enums {
		if _, dup := enumFields[k]; dup {
			panic(fmt.Sprintf("web: field enum %q added twice", k))
		}
		enumFields[k] = v
	}
}
