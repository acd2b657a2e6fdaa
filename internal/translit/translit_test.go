package translit

import "testing"

func TestLatinICAO(t *testing.T) {
	for in, want := range map[string]string{
		"Козлов":             "Kozlov",
		"Кирилл":             "Kirill",
		"Александр Мацегора": "Aleksandr Matsegora",
		"Щукина-Юрьева":      "Shchukina-Iureva",
		"Γιώργος Σταθάκης":   "Giorgos Stathakis",
		"Müller":             "Müller",
	} {
		got, ok := Latin(in)
		if !ok || got != want {
			t.Errorf("Latin(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"김정은", "王毅"} {
		if got, ok := Latin(in); ok {
			t.Errorf("Latin(%q) = %q, true; a script without an ICAO table must answer false", in, got)
		}
	}
}
