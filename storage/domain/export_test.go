package domain

// FoldUnicode is the general path of Fold, for tests.
var FoldUnicode = foldUnicode
