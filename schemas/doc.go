// Package schemas holds the stack file's JSON Schema (2020-12) and validates
// documents against it. The schema is published for editors
// (yaml-language-server) and is the first check `cdstack validate` makes;
// spec maps its errors back to file positions.
//
// Every place a value goes also accepts a whole-value reference "${…}", so an
// editor given the schema alone accepts a valid stack; spec substitutes
// references before validating, so types and enumerations are still checked.
package schemas
