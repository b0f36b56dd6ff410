package spec

import "os"

// Load reads, parses and checks the spec at path; positions name path as given.
func Load(path string) (*Model, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAndCheck(path, src)
}

// ParseAndCheck parses src and checks it. Layout errors stop it before
// checking, since a broken layout would only produce confusing follow-ups.
func ParseAndCheck(filename string, src []byte) (*Model, error) {
	f, err := Parse(filename, src)
	if err != nil {
		return nil, err
	}
	return Check(f)
}
