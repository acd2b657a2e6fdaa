package storetest

func statementSuites() []Suite { return nil }
