package storetest

func evacSuites() []Suite { return nil }
