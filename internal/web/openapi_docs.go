package web

import "reflect"

// typeDocs describe the schemas; fieldDocs their fields, by Go type and
// JSON name.
var typeDocs = map[reflect.Type]string{}

var fieldDocs = map[string]string{}

func fieldDoc(t reflect.Type, name string) string { return fieldDocs[t.String()+"."+name] }
