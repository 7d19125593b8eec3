package domain

// FoldUnicode is the general path of Fold, for tests.
var FoldUnicode = foldUnicode

// CollapseSpaces is the name clean-up ValidatePerson applies, for tests.
var CollapseSpaces = collapseSpaces

// ArgentinaZone exposes the zone's loader with its fallback.
var ArgentinaZone = argentinaZone
