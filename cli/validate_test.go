package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

// The examples validate with no variable set: a pull-request check needs
// no secrets.
func TestExamplesValidateWithoutValues(t *testing.T) {
	t.Setenv("WEB_ADMIN_PASSWORD", "")
	files, _ := filepath.Glob(filepath.Join("..", "examples", "*.yaml"))
	files = append(files, filepath.Join("..", "examples", "environments", "stack.yaml"))
	if len(files) == 0 {
		t.Fatal("no examples")
	}
	for _, f := range files {
		var out, errOut bytes.Buffer
		if code := Main([]string{"cdstack", "validate", "-f", f}, strings.NewReader(""), &out, &errOut); code != 0 {
			t.Errorf("validate %s: exit %d\n%s%s", f, code, out.String(), errOut.String())
		}
		if strings.Contains(f, "web-tier") && !strings.Contains(out.String(), "admin_password") {
			t.Errorf("validate %s does not say a plan needs admin_password:\n%s", f, out.String())
		}
	}
}
