package storetest

func supplySuites() []Suite { return nil }
