package api

// bomParam is the query parameter of every CSV download: a UTF-8 byte
// order mark first, for Excel on Windows (transport.WantBOM reads it).
var bomParam = Param{Name: "bom", In: "query", Enum: []string{"0", "1", "false", "true"},
	Description: "1: start the CSV with a UTF-8 byte order mark, so that Excel on Windows reads non-Latin text (default 0; ignored for PDF)"}
