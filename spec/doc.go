// Package spec reads stack files: YAML with positions, the JSON Schema,
// variables, ${…} references and the semantic checks that need the whole
// stack (unknown references, cycles, count, types of whole-value references).
//
// Invariants:
//   - Every Value keeps the file:line:col it came from; every Error carries
//     one, with the property path, and Errors are reported all at once, sorted
//     by position.
//   - Load never panics on input and never hangs, and takes time linear in
//     the file: files over MaxFileSize, nesting deeper than maxDepth and
//     aliases that expand to more than maxExpanded values are refused with
//     one positioned error (no follow-on errors).
//   - Values derived from sensitive variables are marked Sensitive and never
//     appear in messages.
//   - No custom YAML tags; anchors and aliases are allowed, merge keys (<<) are not.
//
// References: ${addr.attr}, ${addr[i].attr}, ${addr["key"].attr},
// ${addr[*].attr} (a list), ${addr[each.key].attr}, ${var.name}, ${index}
// (the copy's number inside a resource with count) and ${each.key} /
// ${each.value} (inside a resource with for_each; foreach.go). Addresses
// are parsed in one place (address.go); moved: is read in moved.go;
// components: are expanded in component.go (${input.NAME},
// ${component.NAME.outputs.X}).
// ${data.NAME.attr} (a data source, data.go) and ${stack.NAME.outputs.X}
// (another stack's output, stacks.go) are Unknown until the caller binds
// what was read (SetExternal); spec checks their names, attributes and the
// filters each data kind answers (DataFilters) without the cloud. A data
// filter may refer to variables, ${workspace}, other data sources (no
// cycles) and other stacks' outputs, never to resources.
// A string that is exactly one reference keeps the referenced value's type;
// any other string with references is interpolated text. "$${" writes a
// literal "${". An attribute is either one the kind exports (Exports) or one
// of its properties.
package spec
