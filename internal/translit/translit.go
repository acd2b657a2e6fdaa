// Package translit writes names in Latin letters the way passports print
// them: the machine-readable transliteration of ICAO Doc 9303, Part 3
// (eighth edition, 2021), section 6, for the scripts it gives a table
// for. A script without a table gets no invented one: Latin answers
// false and the Latin form must come from the person's documents.
package translit

import (
	"strings"
	"unicode"
)

// table maps a letter to its ICAO 9303 transliteration, in upper case.
var table = map[rune]string{
	// Cyrillic (Doc 9303 Part 3, table A of section 6.B).
	'А': "A", 'Б': "B", 'В': "V", 'Г': "G", 'Ґ': "G", 'Ѓ': "G", 'Д': "D", 'Ђ': "D",
	'Е': "E", 'Ѐ': "E", 'Ё': "E", 'Є': "IE", 'Ж': "ZH", 'З': "Z", 'Ѕ': "DZ", 'И': "I",
	'Ѝ': "I", 'І': "I", 'Ї': "I", 'Й': "I", 'Ј': "J", 'К': "K", 'Ќ': "K", 'Л': "L",
	'Љ': "LJ", 'М': "M", 'Н': "N", 'Њ': "NJ", 'О': "O", 'П': "P", 'Р': "R", 'С': "S",
	'Т': "T", 'Ћ': "C", 'У': "U", 'Ў': "U", 'Ф': "F", 'Х': "KH", 'Ц': "TS", 'Ч': "CH",
	'Џ': "DZ", 'Ш': "SH", 'Щ': "SHCH", 'Ъ': "IE", 'Ы': "Y", 'Ь': "", 'Э': "E", 'Ю': "IU",
	'Я': "IA",
	// Greek (Doc 9303 Part 3, section 6.B).
	'Α': "A", 'Ά': "A", 'Β': "V", 'Γ': "G", 'Δ': "D", 'Ε': "E", 'Έ': "E", 'Ζ': "Z",
	'Η': "I", 'Ή': "I", 'Θ': "TH", 'Ι': "I", 'Ί': "I", 'Ϊ': "I", 'Κ': "K", 'Λ': "L",
	'Μ': "M", 'Ν': "N", 'Ξ': "X", 'Ο': "O", 'Ό': "O", 'Π': "P", 'Ρ': "R", 'Σ': "S",
	'Τ': "T", 'Υ': "Y", 'Ύ': "Y", 'Ϋ': "Y", 'Φ': "F", 'Χ': "CH", 'Ψ': "PS", 'Ω': "O",
	'Ώ': "O",
}

// Latin answers s in Latin letters by ICAO 9303 when every letter of s
// that is not already Latin has a table entry; false otherwise (a script
// without a scheme, such as Han or Hangul). The answer keeps the case of
// the first letter of each word and lowers the rest ("Козлов" →
// "Kozlov"), keeps spaces, hyphens and apostrophes, and passes Latin
// letters through unchanged.
func Latin(s string) (string, bool) {
	var b strings.Builder
	start := true
	for _, r := range s {
		switch {
		case r < 0x80 || unicode.Is(unicode.Latin, r) || unicode.IsMark(r):
			b.WriteRune(r)
			start = !unicode.IsLetter(r)
			continue
		case unicode.IsSpace(r) || r == '-' || r == '\'' || r == '’':
			b.WriteRune(r)
			start = true
			continue
		}
		up := unicode.ToUpper(r)
		if r == 'ς' {
			up = 'Σ'
		}
		t, ok := table[up]
		if !ok {
			return "", false
		}
		if !start || up != r {
			// A lower-case letter, or one after the first of its word.
			if start {
				t = titleCase(t)
			} else {
				t = strings.ToLower(t)
			}
		} else {
			t = titleCase(t)
		}
		if start && t != "" {
			start = false
		}
		b.WriteString(t)
	}
	return b.String(), true
}

func titleCase(t string) string {
	if len(t) <= 1 {
		return t
	}
	return t[:1] + strings.ToLower(t[1:])
}
