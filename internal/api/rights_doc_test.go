package api

import (
	"strings"
	"testing"
)

// The document states the rights the code applies: the coordinator's
// joint manifest carries no name (TestJointManifestOverTheAPI checks the rows),
// and a statement is corrected by who approves it, not the press
// officer (statements.TestCorrectAndWithdrawRights).
func TestDocumentStatesTheRights(t *testing.T) {
	paths := document(t, &API{Version: "test"})["paths"].(map[string]any)
	describe := func(path, method string) string {
		op, ok := paths[path].(map[string]any)[method].(map[string]any)
		if !ok {
			t.Fatalf("no %s %s in the document", method, path)
		}
		return op["description"].(string)
	}
	joint := describe("/api/v1/plans/{plan}/departures/{departure}/joint-manifest", "get")
	if strings.Contains(joint, "every passenger's name") || !strings.Contains(joint, "never a name") {
		t.Errorf("the joint manifest's description gives the coordinator names: %q", joint)
	}
	correct := describe("/api/v1/statements/{id}/correct", "post")
	if !strings.Contains(correct, "Whoever may approve it (the mission's manager, the admin)") || !strings.Contains(correct, "press officer") ||
		!strings.Contains(correct, "refused (403)") || !strings.Contains(correct, "needs a withdrawal") {
		t.Errorf("the correction's description does not say the press officer is refused, or that earlier texts stay public: %q", correct)
	}
}
