package storetest

func authSuites() []Suite { return nil }
