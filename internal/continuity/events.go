package continuity

// Event types. Payloads are the wire format on disk: never rename a field.
const (
	TypeComponentSaved       = "continuity.component_saved"
	TypeDependencyAdded      = "continuity.dependency_added"
	TypeRoutineSaved         = "continuity.routine_saved"
	TypeComponentsImported   = "continuity.components_imported"
	TypeDependenciesImported = "continuity.dependencies_imported"
	prefix                   = "continuity."
)

// ComponentSaved adds a component, or replaces the one with its id.
type ComponentSaved struct {
	Component Component `json:"component"`
}

// DependencyAdded adds a dependency, or replaces the one with its from, to
// and type (its group and mode).
type DependencyAdded struct {
	Dependency Dependency `json:"dependency"`
}

// RoutineSaved adds a routine, or replaces the one with its id.
type RoutineSaved struct {
	Routine Routine `json:"routine"`
}

// ComponentsImported is one CSV import of components, all or nothing.
type ComponentsImported struct {
	Components []Component `json:"components"`
}

// DependenciesImported is one CSV import of dependencies, all or nothing.
type DependenciesImported struct {
	Dependencies []Dependency `json:"dependencies"`
}
