// The finite-difference gradient checker of tests/ops, compiled into this
// folder's executable too (each test folder is its own program).
#include "ops/gradient_check_testing.cpp"  // NOLINT(bugprone-suspicious-include)
