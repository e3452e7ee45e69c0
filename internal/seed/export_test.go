package seed

// SetScaleStatements lowers the statements a scale unit adds, for tests.
func SetScaleStatements(n int) func() {
	old := scaleStatements
	scaleStatements = n
	return func() { scaleStatements = old }
}
